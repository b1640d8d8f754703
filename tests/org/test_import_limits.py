"""Spreadsheets cannot exhaust the server: archive limits before parsing, rows read lazily."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from delegations.services.visitor_import import MAX_ROWS, VisitorSheetError, parse_visitor_sheet
from org.importing.files import ImportFileError, read_tables


def workbook_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(rows: int = 1_500_000) -> bytes:
    """A valid-looking workbook whose one sheet expands to ~100 MB from a few hundred KiB."""
    small = workbook_bytes([["Họ tên", "Quốc tịch"], ["A", "JP"]])
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + row * rows
        + "</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(small)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            bomb.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def test_a_small_file_that_expands_enormously_is_refused_at_once():
    data = zip_bomb()
    assert len(data) < 300 * 1024
    # Refused from the archive's declared sizes, before anything is decompressed.
    with pytest.raises(ImportFileError, match="giải nén ra quá lớn"):
        read_tables(data, "khach.xlsx", kind="visitors")


def test_the_visitor_import_refuses_the_bomb_with_a_clear_message():
    with pytest.raises(VisitorSheetError) as refused:
        parse_visitor_sheet(zip_bomb(), "khach.xlsx")
    assert "giải nén ra quá lớn" in str(refused.value.message_dict["file"])


def test_a_visitor_list_past_its_limit_stops_at_the_first_row_too_many():
    rows = [["Họ tên", "Quốc tịch"]] + [[f"Khách {n}", "JP"] for n in range(MAX_ROWS + 1)]
    with pytest.raises(VisitorSheetError) as refused:
        parse_visitor_sheet(workbook_bytes(rows), "khach.xlsx")
    assert f"hơn {MAX_ROWS} dòng" in str(refused.value.message_dict["file"])


def test_a_csv_past_the_limit_is_refused_too():
    text = "Họ tên,Quốc tịch\n" + "".join(f"Khách {n},JP\n" for n in range(20))
    with pytest.raises(ImportFileError, match="hơn 10 dòng"):
        read_tables(text.encode(), "khach.csv", kind="visitors", max_rows=10)


def test_a_list_at_the_limit_is_read_whole():
    rows = [["Họ tên", "Quốc tịch"]] + [[f"Khách {n}", "JP"] for n in range(10)]
    tables = read_tables(workbook_bytes(rows), "khach.xlsx", kind="visitors", max_rows=10)
    assert len(tables[0].rows) == 10
