"""Reading the tables of an organisation import file (XLSX workbook or CSV).

This module only turns bytes into tables of raw cells with their spreadsheet row numbers; what
the cells mean is decided in ``org.importing.rows`` and ``org.importing.validation``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal

import openpyxl
from django.utils.translation import gettext as _

Kind = Literal["units", "staff", "visitors"]

# Normalised sheet names (see ``normalise``) for each kind of table.
SHEET_NAMES: dict[str, Kind] = {"don_vi": "units", "can_bo": "staff"}
# The column whose presence tells what a table holds; staff tables also carry a unit code,
# so the staff key is looked for first.
KIND_KEYS: tuple[tuple[str, Kind], ...] = (("ma_can_bo", "staff"), ("ma_don_vi", "units"))


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, no data); the message is for users."""


#: Limits checked on the archive before a workbook is parsed (a "zip bomb" is a small file that
#: expands to gigabytes): its members, their expanded size, and how much each one expands.
XLSX_MAX_MEMBERS = 500
XLSX_MAX_EXPANDED_BYTES = 64 * 1024 * 1024
XLSX_MAX_RATIO = 100
#: Rows read from one table at most, unless the caller asks for fewer (a visitor list: 500).
DEFAULT_MAX_ROWS = 100_000


@dataclass
class Table:
    """One sheet or CSV file: its header as written and its non-empty rows."""

    kind: Kind
    source: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


def normalise(text: str) -> str:
    """Lower-case, without diacritics, words joined by "_": "Mã đơn vị" → "ma_don_vi"."""
    text = text.strip().lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return "_".join(words)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _kind_from_headers(headers: Iterable[str]) -> Kind | None:
    keys = {normalise(h) for h in headers}
    for key, kind in KIND_KEYS:
        if key in keys:
            return kind
    return None


def _too_many_rows(source: str, max_rows: int) -> ImportFileError:
    return ImportFileError(
        _("“%(source)s” có hơn %(max)s dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn.")
        % {"source": source, "max": max_rows}
    )


def _table(
    rows: Iterable[Iterable[object]], source: str, kind: Kind | None, max_rows: int
) -> Table | None:
    """Build a table whose header is the first non-empty row; None when there is no header.

    Rows are read one by one and reading stops past ``max_rows``: a huge sheet costs no more
    than the limit.
    """
    table: Table | None = None
    for number, raw in enumerate(rows, start=1):
        cells = list(raw)
        if all(_is_blank(c) for c in cells):
            continue
        if table is None:
            headers = ["" if c is None else str(c).strip() for c in cells]
            table_kind = kind or _kind_from_headers(headers)
            if table_kind is None:
                raise ImportFileError(
                    _(
                        "Không nhận ra nội dung của “%(source)s”: dòng tiêu đề phải có cột "
                        "“Mã đơn vị” (danh sách đơn vị) hoặc “Mã cán bộ” (danh sách cán bộ)."
                    )
                    % {"source": source}
                )
            table = Table(kind=table_kind, source=source, header_row=number, headers=headers)
            continue
        if len(table.rows) >= max_rows:
            raise _too_many_rows(source, max_rows)
        table.rows.append((number, cells))
    return table


def _check_archive(data: bytes) -> None:
    """Refuse an XLSX whose archive would expand beyond reason, before anything parses it."""
    unreadable = ImportFileError(
        _("Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise unreadable from exc
    expanded = sum(m.file_size for m in members)
    bomb = (
        len(members) > XLSX_MAX_MEMBERS
        or expanded > XLSX_MAX_EXPANDED_BYTES
        or any(m.file_size > XLSX_MAX_RATIO * max(m.compress_size, 1024) for m in members)
    )
    if bomb:
        raise ImportFileError(
            _(
                "Tệp Excel giải nén ra quá lớn so với kích thước tệp (có thể là tệp độc hại); "
                "hãy lưu lại tệp bằng Excel hoặc dùng CSV."
            )
        )


def _read_xlsx(data: bytes, kind: Kind | None, max_rows: int) -> list[Table]:
    _check_archive(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # A damaged workbook can fail in many ways inside openpyxl (zip, XML, missing parts).
    except Exception as exc:
        raise ImportFileError(
            _("Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx.")
        ) from exc
    try:
        named = [
            (ws, SHEET_NAMES.get(normalise(ws.title)))
            for ws in workbook.worksheets
            if normalise(ws.title) in SHEET_NAMES
        ]
        # A workbook without the named sheets is still accepted when its first sheet's header
        # says what it holds, as for a CSV file.
        sheets = named or [(workbook.worksheets[0], None)]
        if kind is not None:
            # A file of one known kind (a visitor list): its first sheet, whatever its name.
            sheets = [(workbook.worksheets[0], kind)]
        tables = []
        for ws, sheet_kind in sheets:
            table = _table(ws.iter_rows(values_only=True), ws.title, sheet_kind, max_rows)
            if table is not None:
                tables.append(table)
        return tables
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(
            _("Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx.")
        ) from exc
    finally:
        workbook.close()


def _read_csv(data: bytes, filename: str, kind: Kind | None, max_rows: int) -> list[Table]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: “CSV UTF-8”).")
        ) from exc
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _table(rows, PurePath(filename).name, kind, max_rows)
    except csv.Error as exc:
        raise ImportFileError(_("Không đọc được tệp CSV: %(reason)s") % {"reason": exc}) from exc
    return [table] if table is not None else []


def read_tables(
    data: bytes, filename: str, kind: Kind | None = None, max_rows: int = DEFAULT_MAX_ROWS
) -> list[Table]:
    """The tables of a ``.xlsx`` or ``.csv`` file; raises ImportFileError when unreadable.

    With ``kind`` the file holds one table of that kind and its header is not used to guess it.
    A table with more than ``max_rows`` data rows is refused as soon as the row past it is read.
    """
    extension = PurePath(filename).suffix.lower()
    if extension not in {".xlsx", ".csv"}:
        raise ImportFileError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
    if not data.strip():
        raise ImportFileError(_("Tệp rỗng."))
    tables = (
        _read_xlsx(data, kind, max_rows)
        if extension == ".xlsx"
        else _read_csv(data, filename, kind, max_rows)
    )
    if not any(t.rows for t in tables):
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return tables
