"""Importing the visitor list of an inbound visit from the sheet partners send (XLSX or CSV).

Headers may be Vietnamese or English, with or without diacritics, in any case ("Họ tên",
"ho ten", "Full name"). Dates are dd/mm/yyyy or yyyy-mm-dd (or real Excel dates). Every row is
read to the end and every problem reported by row and column; a file with any error imports
nothing. A good file replaces the draft's visitor list.

Rows typed on the form (:func:`parse_visitor_rows`) go through the same reader, so a typed row
and a sheet row are accepted or refused alike; :func:`visitor_template_xlsx` is the empty sheet
with exactly the columns read here.
"""

from __future__ import annotations

import datetime
import io

import openpyxl
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl.styles import Font

from config.errors import ValidationError
from delegations.models import InboundVisit
from delegations.services.common import ensure_can_edit
from delegations.services.inbound import VisitorInput, inbound_replace_visitors, is_country_code
from org.importing.files import ImportFileError, Table, read_tables
from org.importing.rows import Column, RowError, RowReader, map_headers

VISITOR_COLUMNS = (
    Column("ho_ten", _l("Họ tên"), ("ho_va_ten", "full_name", "name"), required=True),
    Column("quoc_tich", _l("Quốc tịch"), ("nationality",), required=True),
    Column(
        "so_ho_chieu", _l("Số hộ chiếu"),
        ("passport_number", "passport_no", "passport"), required=True,
    ),
    Column(
        "ngay_het_han", _l("Ngày hết hạn"),
        ("ngay_het_han_ho_chieu", "passport_expiry", "expiry_date", "expiry"), required=True,
    ),
    Column("ngay_sinh", _l("Ngày sinh"), ("date_of_birth", "dob", "birth_date")),
    Column(
        "to_chuc", _l("Tổ chức"),
        ("co_quan", "co_quan_to_chuc", "don_vi", "organisation", "organization"),
    ),
    Column("chuc_danh", _l("Chức danh"), ("chuc_vu", "title", "position")),
)  # fmt: skip
MAX_ROWS = 500


class VisitorSheetError(ValidationError):
    """The sheet cannot be imported; ``row_errors`` says where (row, column) and why."""

    def __init__(self, row_errors: list[RowError] | None = None, message: str = "") -> None:
        self.row_errors = row_errors or []
        messages = [message] if message else [str(e) for e in self.row_errors]
        super().__init__({"file": messages})


def _read_row(r: RowReader, seen: dict[str, int], today: datetime.date) -> VisitorInput:
    name = r.text("ho_ten", max_length=255, required=True)
    nationality = r.text("quoc_tich", required=True).upper()
    if nationality and not is_country_code(nationality):
        r.error(
            "quoc_tich",
            _("“%(value)s” không phải mã quốc gia; ghi 2 chữ cái (ISO 3166-1), ví dụ JP, KR.")
            % {"value": nationality},
        )
    number = r.text("so_ho_chieu", max_length=32, required=True).replace(" ", "").upper()
    if number and not number.isalnum():
        r.error("so_ho_chieu", _("Số hộ chiếu chỉ gồm chữ và số."))
    elif number in seen:
        r.error("so_ho_chieu", _("Số hộ chiếu trùng với dòng %(row)s.") % {"row": seen[number]})
    elif number:
        seen[number] = r.number
    expiry = r.date("ngay_het_han")
    if expiry is None and not r.text("ngay_het_han"):
        r.error("ngay_het_han", _("Không được để trống."))
    born = r.date("ngay_sinh") if r.has("ngay_sinh") else None
    if born and born > today:
        r.error("ngay_sinh", _("Ngày sinh không thể sau hôm nay."))
    elif born and expiry and expiry <= born:
        r.error("ngay_het_han", _("Ngày hết hạn hộ chiếu phải sau ngày sinh."))
    return VisitorInput(
        full_name=name,
        nationality=nationality,
        passport_number=number,
        passport_expiry=expiry,
        date_of_birth=born,
        organisation=r.text("to_chuc", max_length=255) if r.has("to_chuc") else "",
        title=r.text("chuc_danh", max_length=255) if r.has("chuc_danh") else "",
    )


def parse_visitor_sheet(data: bytes, filename: str) -> list[VisitorInput]:
    """The visitors of a sheet, or :class:`VisitorSheetError` listing every problem."""
    try:
        tables = read_tables(data, filename, kind="visitors", max_rows=MAX_ROWS)
    except ImportFileError as exc:
        raise VisitorSheetError(message=str(exc)) from exc
    table = tables[0]
    errors: list[RowError] = []
    mapping = map_headers(table, VISITOR_COLUMNS, errors)
    if mapping is None:
        raise VisitorSheetError(errors)
    labels = {c.key: c.label for c in VISITOR_COLUMNS}
    seen: dict[str, int] = {}
    today = timezone.localdate()  # the department's day, not the server's
    visitors = [
        _read_row(RowReader(table, number, cells, mapping, labels, errors), seen, today)
        for number, cells in table.rows
    ]
    if errors:
        raise VisitorSheetError(errors)
    return visitors


#: The visitor fields (VisitorInput's names) of each column, for the form's rows.
FIELD_OF_COLUMN = {
    "ho_ten": "full_name",
    "quoc_tich": "nationality",
    "so_ho_chieu": "passport_number",
    "ngay_het_han": "passport_expiry",
    "ngay_sinh": "date_of_birth",
    "to_chuc": "organisation",
    "chuc_danh": "title",
}


def parse_visitor_rows(
    rows: list[dict[str, str]],
) -> tuple[list[VisitorInput], dict[tuple[int, str], list[str]]]:
    """Visitors typed on the form (field name → text), read exactly as sheet rows are.

    Returns the visitors and the problems by (row index from 0, field name); rows with no
    text at all are left out, as blank lines of a sheet are.
    """
    labels = {c.key: c.label for c in VISITOR_COLUMNS}
    keys = [c.key for c in VISITOR_COLUMNS]
    table = Table(kind="visitors", source="", header_row=0, headers=[str(labels[k]) for k in keys])
    index_of_number: dict[int, int] = {}
    for index, row in enumerate(rows):
        cells: list[object] = [str(row.get(FIELD_OF_COLUMN[k]) or "").strip() for k in keys]
        if any(cells):
            number = len(table.rows) + 1
            table.rows.append((number, cells))
            index_of_number[number] = index
    errors: list[RowError] = []
    mapping = {key: i for i, key in enumerate(keys)}
    seen: dict[str, int] = {}
    today = timezone.localdate()  # the department's day, not the server's
    visitors = [
        _read_row(RowReader(table, number, cells, mapping, labels, errors), seen, today)
        for number, cells in table.rows
    ]
    field_of_header = {str(labels[k]): FIELD_OF_COLUMN[k] for k in keys}
    problems: dict[tuple[int, str], list[str]] = {}
    for error in errors:
        key = (index_of_number[error.row], field_of_header[error.column])
        problems.setdefault(key, []).append(error.message)
    return visitors, problems


def visitor_template_xlsx() -> bytes:
    """An empty visitor sheet: one header row with the columns the import reads, in order."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(_("Danh sách khách"))
    sheet.append([str(c.label) for c in VISITOR_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter in "ABCDEFG":
        sheet.column_dimensions[letter].width = 22
    # Dates as text (dd/mm/yyyy) survive every spreadsheet program's locale.
    for letter in "DE":
        for row in range(2, MAX_ROWS + 2):
            sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def inbound_import_visitors(*, actor: User, visit: InboundVisit, data: bytes, filename: str) -> int:
    """Replace a draft's visitor list with the sheet's rows; returns how many were imported."""
    ensure_can_edit(actor=actor, request=visit)
    visitors = parse_visitor_sheet(data, filename)
    inbound_replace_visitors(actor=actor, visit=visit, visitors=visitors, source=filename)
    return len(visitors)
