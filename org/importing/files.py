"""Reading the tables of an organisation import file (XLSX workbook or CSV).

This module only turns bytes into tables of raw cells with their spreadsheet row numbers; what
the cells mean is decided in ``org.importing.rows`` and ``org.importing.validation``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
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


def _table(rows: Iterable[Iterable[object]], source: str, kind: Kind | None) -> Table | None:
    """Build a table whose header is the first non-empty row; None when there is no header."""
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
        table.rows.append((number, cells))
    return table


def _read_xlsx(data: bytes, kind: Kind | None = None) -> list[Table]:
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
            table = _table(ws.iter_rows(values_only=True), ws.title, sheet_kind)
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


def _read_csv(data: bytes, filename: str, kind: Kind | None = None) -> list[Table]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: “CSV UTF-8”).")
        ) from exc
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(_("Không đọc được tệp CSV: %(reason)s") % {"reason": exc}) from exc
    table = _table(rows, PurePath(filename).name, kind)
    return [table] if table is not None else []


def read_tables(data: bytes, filename: str, kind: Kind | None = None) -> list[Table]:
    """The tables of a ``.xlsx`` or ``.csv`` file; raises ImportFileError when unreadable.

    With ``kind`` the file holds one table of that kind and its header is not used to guess it.
    """
    extension = PurePath(filename).suffix.lower()
    if extension not in {".xlsx", ".csv"}:
        raise ImportFileError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
    if not data.strip():
        raise ImportFileError(_("Tệp rỗng."))
    tables = _read_xlsx(data, kind) if extension == ".xlsx" else _read_csv(data, filename, kind)
    if not any(t.rows for t in tables):
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return tables
