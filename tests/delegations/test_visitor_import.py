"""Importing visitor lists from the sheets partners send (XLSX or CSV)."""

import datetime
import io

import openpyxl
import pytest

from config.errors import StateConflict
from delegations.services.visitor_import import (
    VisitorSheetError,
    inbound_import_visitors,
    parse_visitor_sheet,
)
from tests import flows
from workflow.services import request_submit

pytestmark = pytest.mark.django_db


def xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách đoàn"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def draft_visit(actor):
    """A two-day visit from Singapore with no visitors yet."""
    return flows.draft_visit(
        actor,
        organisation="Đại học Quốc gia Singapore",
        country="SG",
        purpose_category="cooperation",
        purpose="Tìm hiểu hợp tác",
        days=2,
        visitors=[],
    )


def test_partner_xlsx_with_vietnamese_headers_and_excel_dates_is_read():
    data = xlsx(
        [
            ["STT", "Họ tên", "Quốc tịch", "Số hộ chiếu", "Ngày hết hạn", "Ngày sinh",
             "Tổ chức", "Chức danh"],
            [1, "Tan Wei Ming", "sg", "e1234567a", datetime.datetime(2030, 6, 30), "12/03/1980",
             "NUS", "Giáo sư"],
            [2, "Lim Hui Min", "SG", "K7654321", "2031-01-15", None, "NUS", ""],
        ]
    )  # fmt: skip
    visitors = parse_visitor_sheet(data, "danh_sach.xlsx")
    assert [v.full_name for v in visitors] == ["Tan Wei Ming", "Lim Hui Min"]
    first = visitors[0]
    assert (first.nationality, first.passport_number) == ("SG", "E1234567A")
    assert first.passport_expiry == datetime.date(2030, 6, 30)
    assert first.date_of_birth == datetime.date(1980, 3, 12)
    assert (first.organisation, first.title) == ("NUS", "Giáo sư")
    assert visitors[1].passport_expiry == datetime.date(2031, 1, 15)


def test_english_headers_without_case_or_diacritics_in_a_semicolon_csv_are_read():
    data = (
        b"FULL NAME;Nationality;Passport number;Passport expiry;Date of birth;Organisation;Title\n"
        b"John Smith;GB;123456789;2032-02-29;1970-01-01;British Council;Manager\n"
    )
    visitors = parse_visitor_sheet(data, "visitors.CSV")
    assert visitors[0].passport_expiry == datetime.date(2032, 2, 29)
    assert visitors[0].organisation == "British Council"

    plain = "ho ten,quoc tich,so ho chieu,ngay het han\nAnna Muller,DE,C01X00T47,01/01/2030\n"
    assert parse_visitor_sheet(plain.encode(), "khach.csv")[0].nationality == "DE"


def test_every_bad_cell_is_reported_by_row_and_column_in_vietnamese():
    data = (
        "Họ tên,Quốc tịch,Số hộ chiếu,Ngày hết hạn,Ngày sinh\n"
        "Tan Wei Ming,SG,E1234567A,30/06/2030,12/03/1980\n"
        ",Singapore,E1234567A,31/02/2030,\n"
        "Lim Hui Min,SG,K-765,,01/01/2100\n"
    ).encode()
    with pytest.raises(VisitorSheetError) as error:
        parse_visitor_sheet(data, "khach.csv")
    found = {(e.row, e.column): e.message for e in error.value.row_errors}
    assert found[(3, "Họ tên")] == "Không được để trống."
    assert "ISO 3166-1" in found[(3, "Quốc tịch")]
    assert found[(3, "Số hộ chiếu")] == "Số hộ chiếu trùng với dòng 2."
    assert "31/02/2030" in found[(3, "Ngày hết hạn")]
    assert found[(4, "Số hộ chiếu")] == "Số hộ chiếu chỉ gồm chữ và số."
    assert found[(4, "Ngày hết hạn")] == "Không được để trống."
    assert found[(4, "Ngày sinh")] == "Ngày sinh không thể sau hôm nay."
    assert 'Dòng 3, cột "Họ tên": Không được để trống.' in error.value.message_dict["file"]


def test_missing_required_column_and_unknown_column_are_reported_on_the_header_row():
    data = "Họ tên,Quốc tịch,Ngày hết hạn,Sở thích\nA,JP,01/01/2030,Bóng đá\n".encode()
    with pytest.raises(VisitorSheetError) as error:
        parse_visitor_sheet(data, "khach.csv")
    found = {(e.row, e.column): e.message for e in error.value.row_errors}
    assert found[(1, "Số hộ chiếu")] == "Thiếu cột bắt buộc."
    assert "Cột không được hỗ trợ" in found[(1, "Sở thích")]


def test_unreadable_file_gets_one_clear_message():
    with pytest.raises(VisitorSheetError) as error:
        parse_visitor_sheet(b"not a workbook", "khach.xlsx")
    assert error.value.message_dict["file"] == [
        "Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx."
    ]
    with pytest.raises(VisitorSheetError):
        parse_visitor_sheet(b"a,b", "khach.pdf")


def test_good_sheet_replaces_the_draft_roster_and_a_bad_one_imports_nothing(org, clerk_a):
    visit = draft_visit(clerk_a)
    good = xlsx([["Họ tên", "Quốc tịch", "Số hộ chiếu", "Ngày hết hạn"],
                 ["Tan Wei Ming", "SG", "E1234567A", "30/06/2030"],
                 ["Lim Hui Min", "SG", "K7654321", "30/06/2031"]])  # fmt: skip
    assert (
        inbound_import_visitors(actor=clerk_a.user, visit=visit, data=good, filename="a.xlsx") == 2
    )
    bad = xlsx([["Họ tên", "Quốc tịch", "Số hộ chiếu", "Ngày hết hạn"],
                ["Someone Else", "SG", "X1", "hôm qua"]])  # fmt: skip
    with pytest.raises(VisitorSheetError):
        inbound_import_visitors(actor=clerk_a.user, visit=visit, data=bad, filename="b.xlsx")
    assert [v.full_name for v in visit.visitors.all()] == ["Tan Wei Ming", "Lim Hui Min"]


def test_roster_of_a_submitted_visit_cannot_be_replaced_by_import(org, clerk_a):
    visit = draft_visit(clerk_a)
    sheet = xlsx([["Họ tên", "Quốc tịch", "Số hộ chiếu", "Ngày hết hạn"],
                  ["Tan Wei Ming", "SG", "E1234567A", "30/06/2035"]])  # fmt: skip
    inbound_import_visitors(actor=clerk_a.user, visit=visit, data=sheet, filename="a.xlsx")
    request_submit(actor=clerk_a.user, request=visit)
    with pytest.raises(StateConflict):
        inbound_import_visitors(actor=clerk_a.user, visit=visit, data=sheet, filename="a.xlsx")
