"""The streamed workbook: the first bytes leave before the rows are read; it reads back whole."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from approvals.record.xlsx_stream import sheet_title, xlsx_stream


def read_back(chunks) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(chunks))).worksheets[0]
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def test_the_first_bytes_leave_before_the_rows_are_read():
    read = []

    def rows():
        for i in range(5_000):
            read.append(i)
            yield [f"Đoàn {i}", i]

    chunks = xlsx_stream("Đoàn ra", ["Tên", "Số"], rows(), batch=100)
    first = next(chunks)
    assert first.startswith(b"PK") and read == []
    second = next(chunks)
    assert len(read) == 100  # one batch, not the whole sheet
    rest = list(chunks)
    assert len(read) == 5_000
    values = read_back([first, second, *rest])
    assert len(values) == 5_001 and values[-1] == ("Đoàn 4999", 4999)


def test_every_value_reads_back_as_written():
    when = datetime.datetime(2026, 11, 30, 14, 5, 9)
    rows = [
        ["=1+1", 42, Decimal("90000000"), 2.5, datetime.date(2026, 3, 2), when, None, "  lề  "],
        ["Nguyễn Thị Ánh\x00\x07 <b>&</b>", -1, Decimal("0.5"), 0.0, None, None, "", "Có"],
    ]
    chunks = xlsx_stream("Quyết định", ["A", "B", "C", "D", "E", "F", "G", "H"], rows)
    workbook = load_workbook(io.BytesIO(b"".join(chunks)))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Quyết định"
    assert [c.value for c in sheet[1]] == ["A", "B", "C", "D", "E", "F", "G", "H"]
    assert sheet[1][0].font.b
    first = [c.value for c in sheet[2]]
    assert first[:4] == ["=1+1", 42, 90000000, 2.5]
    assert sheet.cell(row=2, column=1).data_type == "s"  # text, never a formula
    assert first[4] == datetime.datetime(2026, 3, 2)
    assert first[5] == when
    assert first[6] is None and first[7] == "  lề  "
    second = [c.value for c in sheet[3]]
    assert second[0] == "Nguyễn Thị Ánh <b>&</b>"  # characters XML cannot carry are dropped
    assert second[1:4] == [-1, 0.5, 0]
    assert sheet.max_row == 3


def test_a_sheet_name_excel_would_refuse_is_made_acceptable():
    title = sheet_title("Báo cáo [2026]: đoàn ra/đoàn vào, năm học 2026-2027")
    assert title == "Báo cáo  2026   đoàn ra đoàn và" and len(title) == 31
    assert sheet_title("") == "Sheet1"


def test_an_empty_sheet_has_its_header_only():
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_stream("Trống", ["Mã"], [])))).worksheets[0]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Mã"]]
