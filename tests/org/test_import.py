"""Import of units and staff from XLSX/CSV: all rows or none, errors by row and column."""

from __future__ import annotations

import datetime
import hashlib
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import AuditEvent
from org.importing import ImportFileError, ImportResult, org_import
from org.models import Gender, Passport, PassportKind, Person, StaffCategory, Unit, UnitKind
from tests.factories import PassportFactory, PersonFactory, UnitFactory, UserFactory

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"

UNITS_CSV = """\
ma_don_vi,ten_don_vi,loai,cap_hoc,ma_don_vi_cap_tren,ma_co_quan_quan_ly,email
SO,Sở Giáo dục và Đào tạo,department,,,,so@example.test
THPT-1,Trường THPT Số 1,school,upper_secondary,SO,SO,thpt1@example.test
"""


def run(text: str | bytes, filename: str = "don_vi.csv", **kwargs: bool) -> ImportResult:
    data = text.encode() if isinstance(text, str) else text
    return org_import(data=data, filename=filename, **kwargs)


def snapshot() -> dict[str, list[tuple]]:
    return {
        "units": list(Unit.objects.order_by("code").values_list()),
        "people": list(Person.objects.order_by("staff_code").values_list()),
        "passports": list(Passport.objects.order_by("number").values_list()),
        "users": list(get_user_model().objects.order_by("username").values_list()),
    }


def workbook(units: list[list[object]], staff: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    for row in units:
        sheet.append(row)
    sheet = book.create_sheet("Cán bộ")
    for row in staff:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


UNIT_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Cấp học", "Mã đơn vị cấp trên"]
STAFF_HEADER = [
    "STT", "Mã cán bộ", "Họ và tên", "Ngày sinh", "Mã đơn vị", "Ngạch",
    "Lãnh đạo chủ chốt", "Số hộ chiếu", "Loại hộ chiếu", "Ngày hết hạn hộ chiếu",
]  # fmt: skip


def test_bad_row_rejects_whole_workbook_and_says_which_row_and_why(db: None) -> None:
    data = workbook(
        [UNIT_HEADER, ["SO", "Sở GD&ĐT", "Sở", "", ""], ["T1", "Trường 1", "school", "", "SO"]],
        [
            STAFF_HEADER,
            [1, "CB1", "Trần Thị Lan", datetime.datetime(1990, 1, 2), "T1", "Viên chức", "x"],
            [2, "CB2", "Lê Văn Nam", "31/02/1985", "T1", "Viên chức", "có"],
        ],
    )

    result = run(data, "danh_sach.xlsx")

    assert [(e.source, e.row, e.column) for e in result.errors] == [("Cán bộ", 3, "Ngày sinh")]
    assert "31/02/1985" in result.errors[0].message
    assert "dd/mm/yyyy" in result.errors[0].message
    assert not Unit.objects.exists()
    assert not Person.objects.exists()


def test_every_bad_row_of_a_csv_is_reported_and_nothing_is_written(db: None) -> None:
    text = UNITS_CSV + "THPT-1,Trùng mã,school,,,,\nTHPT-2,,truong_dai_hoc,,KHONG-CO,,sai@\n"

    result = run(text)

    errors = [(e.row, e.column, e.message) for e in result.errors]
    assert (4, "ma_don_vi", "Mã đơn vị trùng với dòng 3.") in errors
    assert (5, "ten_don_vi", "Không được để trống.") in errors
    assert [e[2] for e in errors if e[:2] == (5, "loai")] == [
        "Giá trị “truong_dai_hoc” không hợp lệ; ghi mã hoặc tên của một trong: "
        "city (Cơ quan cấp Thành phố); department (Sở); department_office (Phòng thuộc Sở); "
        "school (Trường / cơ sở giáo dục); ward (UBND phường, xã, đặc khu); "
        "agency (Cơ quan nhận thông báo)."
    ]
    assert any(e[:2] == (5, "ma_don_vi_cap_tren") and "KHONG-CO" in e[2] for e in errors)
    assert any(e[:2] == (5, "email") for e in errors)
    assert str(result.errors[0]).startswith('Dòng 4, cột "ma_don_vi": ')
    assert not Unit.objects.exists()


def test_sample_files_import_units_then_staff(db: None) -> None:
    units = run((SAMPLES / "don_vi.csv").read_bytes(), "don_vi.csv")
    staff = run((SAMPLES / "can_bo.csv").read_bytes(), "can_bo.csv")

    assert units.ok and staff.ok, units.errors + staff.errors
    assert (units.units.created, staff.staff.created) == (6, 6)
    school = Unit.objects.get(code="TH-BENTHANH")
    assert school.kind == UnitKind.SCHOOL
    assert school.school_level == "primary"
    assert school.parent is not None and school.parent.code == "P-BENTHANH"
    director = Person.objects.get(staff_code="CB0001")
    assert director.full_name == "Nguyễn Văn Hiếu"
    assert director.date_of_birth == datetime.date(1972, 3, 12)
    assert director.category == StaffCategory.CONG_CHUC
    assert director.gender == Gender.MALE and director.honorific == "ông"
    assert Person.objects.get(staff_code="CB0004").gender == Gender.FEMALE
    assert director.is_key_leader and director.is_party_managed
    assert director.unit.code == "SGDDT"
    assert director.user is not None and director.user.username == "nvhieu"
    assert not director.user.has_usable_password()
    passport = director.passports.get()
    assert (passport.kind, passport.number) == (PassportKind.OFFICIAL, "B1234567")
    assert passport.expires_on == datetime.date(2030, 8, 15)


def test_reimporting_the_same_files_reports_unchanged_and_writes_nothing(db: None) -> None:
    files = [("don_vi.csv", (SAMPLES / "don_vi.csv").read_bytes())]
    files.append(("can_bo.csv", (SAMPLES / "can_bo.csv").read_bytes()))
    for name, data in files:
        assert run(data, name).ok
    before = snapshot()

    with CaptureQueriesContext(connection) as queries:
        again = [run(data, name) for name, data in files]

    assert [(r.units.unchanged, r.staff.unchanged) for r in again] == [(6, 0), (0, 6)]
    assert all(r.units.created == r.units.updated == r.staff.created == 0 for r in again)
    assert all(r.staff.updated == 0 for r in again)
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert snapshot() == before


def test_changed_row_is_updated_and_others_stay_unchanged(db: None) -> None:
    assert run(UNITS_CSV).ok

    result = run(UNITS_CSV.replace("Trường THPT Số 1", "Trường THPT Số Một"))

    assert (result.units.created, result.units.updated, result.units.unchanged) == (0, 1, 1)
    assert Unit.objects.get(code="THPT-1").name == "Trường THPT Số Một"


def test_xlsx_with_both_sheets_resolves_units_of_the_same_file(db: None) -> None:
    data = workbook(
        # The school comes before its parent: references are resolved after all units exist.
        [UNIT_HEADER, ["T1", "Trường 1", "Trường / cơ sở giáo dục", "Tiểu học", "P1"],
         ["P1", "UBND Phường 1", "ward", None, None]],
        [STAFF_HEADER,
         [1, "CB1", "Trần Thị Lan", datetime.datetime(1990, 1, 2), "T1", "Công chức", True,
          "c1234567", "Hộ chiếu phổ thông", datetime.datetime(2031, 5, 6)],
         [2, 1002, "Lê Văn Nam", "1985-12-30", "P1", None, 0]],
    )  # fmt: skip

    result = run(data, "danh_sach.xlsx")

    assert result.ok, result.errors
    assert (result.units.created, result.staff.created) == (2, 2)
    assert Unit.objects.get(code="T1").parent == Unit.objects.get(code="P1")
    lan = Person.objects.get(staff_code="CB1")
    assert (lan.date_of_birth, lan.category, lan.is_key_leader) == (
        datetime.date(1990, 1, 2), StaffCategory.CONG_CHUC, True,
    )  # fmt: skip
    assert lan.passports.get().number == "C1234567"
    nam = Person.objects.get(staff_code="1002")
    assert nam.date_of_birth == datetime.date(1985, 12, 30)
    assert nam.category == StaffCategory.VIEN_CHUC
    assert not nam.is_key_leader


def test_unknown_gender_is_reported_with_its_row_and_a_blank_one_stays_unrecorded(
    db: None,
) -> None:
    run(UNITS_CSV)
    header = "ma_can_bo,ho_ten,ma_don_vi,gioi_tinh\n"

    refused = run(header + "CB1,Trần Thị Lan,THPT-1,nữ\nCB2,Lê Văn Nam,THPT-1,ông\n", "cb.csv")
    accepted = run(header + "CB1,Trần Thị Lan,THPT-1,Nữ\nCB2,Lê Văn Nam,THPT-1,\n", "cb.csv")

    assert not refused.ok
    assert any(e.row == 3 and "ông" in e.message for e in refused.errors)
    assert accepted.ok, accepted.errors
    assert Person.objects.get(staff_code="CB1").honorific == "bà"
    assert Person.objects.get(staff_code="CB2").honorific == "ông (bà)"


def test_semicolon_csv_with_bom_and_vietnamese_headers_is_read(db: None) -> None:
    text = "\ufeffMã Đơn Vị;TÊN ĐƠN VỊ;Loại\nP9;UBND Phường 9;UBND phường, xã, đặc khu\n"

    result = run(text)

    assert result.ok, result.errors
    assert Unit.objects.get(code="P9").kind == UnitKind.WARD


def test_unit_cannot_be_its_own_parent_nor_form_a_loop(db: None) -> None:
    UnitFactory(code="A", parent=None)
    text = (
        "ma_don_vi,ten_don_vi,loai,ma_don_vi_cap_tren\n"
        "X,Tự trỏ,school,X\n"
        "A,Đơn vị A,school,B\n"
        "B,Đơn vị B,school,A\n"
    )

    result = run(text)

    messages = {(e.row, e.message) for e in result.errors}
    assert (2, "Đơn vị không thể là cấp trên của chính nó.") in messages
    assert (3, "Quan hệ cấp trên tạo thành vòng lặp.") in messages
    assert (4, "Quan hệ cấp trên tạo thành vòng lặp.") in messages
    assert Unit.objects.get(code="A").parent is None


def test_passport_must_be_complete_and_not_belong_to_someone_else(db: None) -> None:
    unit = UnitFactory(code="T1")
    PassportFactory(number="C0000001", person=PersonFactory(staff_code="OTHER", unit=unit))
    text = (
        "ma_can_bo,ho_ten,ma_don_vi,so_ho_chieu,loai_ho_chieu,ngay_het_han_ho_chieu\n"
        "CB1,Trần Thị Lan,T1,C0000002,,\n"
        "CB2,Lê Văn Nam,T1,C0000001,ordinary,01/01/2032\n"
    )

    result = run(text, "can_bo.csv")

    errors = {(e.row, e.column): e.message for e in result.errors}
    assert "để trống cả ba" in errors[(2, "loai_ho_chieu")]
    assert "để trống cả ba" in errors[(2, "ngay_het_han_ho_chieu")]
    assert errors[(3, "so_ho_chieu")] == "Số hộ chiếu đã thuộc về cán bộ mã “OTHER”."
    assert not Person.objects.filter(staff_code__in=["CB1", "CB2"]).exists()


def test_username_of_another_person_is_refused(db: None) -> None:
    unit = UnitFactory(code="T1")
    PersonFactory(staff_code="OTHER", unit=unit, user=UserFactory(username="lan"))

    result = run("ma_can_bo,ho_ten,ma_don_vi,ten_dang_nhap\nCB1,Trần Thị Lan,T1,lan\n", "x.csv")

    assert [(e.row, e.column) for e in result.errors] == [(2, "ten_dang_nhap")]
    assert "OTHER" in result.errors[0].message


def test_repeated_staff_code_and_username_and_unknown_unit_name_their_rows(db: None) -> None:
    UnitFactory(code="T1")
    text = (
        "ma_can_bo,ho_ten,ma_don_vi,ten_dang_nhap\n"
        "CB1,Trần Thị Lan,T1,lan\n"
        "CB1,Lê Văn Nam,T1,nam\n"
        "CB3,Phạm Thị Hoa,KHONG-CO,lan\n"
    )

    result = run(text, "can_bo.csv")

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "ma_can_bo", "Mã cán bộ trùng với dòng 2."),
        (4, "ma_don_vi", "Không có đơn vị mã “KHONG-CO” trong hệ thống hay trong tệp."),
        (4, "ten_dang_nhap", "Tên đăng nhập trùng với dòng 2."),
    ]
    assert not Person.objects.exists()


def test_unknown_and_missing_columns_are_reported_on_the_header_row(db: None) -> None:
    result = run("Mã đơn vị,Ghi chú\nT1,abc\n")

    errors = {(e.row, e.column): e.message for e in result.errors}
    assert set(errors) == {(1, "Ghi chú"), (1, "Tên đơn vị")}
    assert errors[(1, "Tên đơn vị")] == "Thiếu cột bắt buộc."


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"", "don_vi.csv", "Tệp rỗng."),
        (b"ma_don_vi,ten_don_vi\n", "don_vi.csv", "không có dòng dữ liệu"),
        (b"a,b\n1,2\n", "don_vi.csv", "Không nhận ra nội dung"),
        (b"ma_don_vi,ten_don_vi\nT1,\xd0\xf5n v\xec\n", "x.csv", "UTF-8"),  # cp1258
        (b"PK\x03\x04 not really a zip", "x.xlsx", "Không đọc được tệp Excel"),
        (b"ma_don_vi\n", "x.xls", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."),
    ],
)
def test_unreadable_file_raises_a_clear_error(
    db: None, data: bytes, filename: str, reason: str
) -> None:
    with pytest.raises(ImportFileError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        run(data, filename)


def test_dry_run_counts_changes_without_writing(db: None) -> None:
    result = run(UNITS_CSV, dry_run=True)

    assert result.ok and result.dry_run
    assert result.units.created == 2
    assert not Unit.objects.exists()


def manage(*args: str) -> None:
    # call_command, not ManagementUtility: the latter closes the test's database connection.
    call_command(*args)


def test_command_fails_with_errors_by_row_and_column(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "don_vi.csv"
    bad.write_text(UNITS_CSV + "T2,Trường 2,school,,,,khong-phai-email\n", encoding="utf-8")

    # A CommandError is what makes ``manage.py`` exit with status 1.
    with pytest.raises(CommandError, match=r"Có 1 lỗi; không nhập dòng nào\."):
        manage("import_org", str(bad))

    err = capsys.readouterr().err
    assert 'Dòng 4, cột "email": Địa chỉ thư điện tử “khong-phai-email” không hợp lệ.' in err
    assert not Unit.objects.exists()


def test_command_imports_and_prints_counts(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "don_vi.csv"
    good.write_text(UNITS_CSV, encoding="utf-8")

    manage("import_org", str(good))
    manage("import_org", str(good))

    out = capsys.readouterr().out
    assert "Đơn vị: tạo mới 2, cập nhật 0, không đổi 0." in out
    assert "Đơn vị: tạo mới 0, cập nhật 0, không đổi 2." in out
    assert Unit.objects.count() == 2


def test_command_dry_run_writes_nothing(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "don_vi.csv"
    good.write_text(UNITS_CSV, encoding="utf-8")

    manage("import_org", str(good), "--dry-run")

    assert "Chạy thử" in capsys.readouterr().out
    assert not Unit.objects.exists()


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def upload(client: Client, content: bytes, name: str = "don_vi.csv") -> str:
    response = client.post(
        reverse("admin:org_unit_import"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_unit_changelist_links_to_the_import_page(admin_client: Client) -> None:
    page = admin_client.get(reverse("admin:org_unit_changelist")).content.decode()

    assert reverse("admin:org_unit_import") in page
    assert "Nhập từ tệp Excel/CSV" in page


def test_admin_upload_imports_and_shows_counts(admin_client: Client) -> None:
    page = upload(admin_client, UNITS_CSV.encode())

    assert "Đã nhập xong." in page
    assert "Đơn vị: tạo mới 2, cập nhật 0, không đổi 0." in page
    assert Unit.objects.count() == 2


def test_an_import_that_changed_the_directory_is_in_the_audit_log(admin_client: Client) -> None:
    upload(admin_client, UNITS_CSV.encode(), "don_vi_thang12.csv")
    upload(admin_client, UNITS_CSV.encode(), "don_vi_thang12.csv")  # the same: nothing changes
    admin_client.post(  # a dry run writes nothing, its event neither
        reverse("admin:org_unit_import"),
        {"file": SimpleUploadedFile("thu.csv", UNITS_CSV.replace("A", "B").encode()),
         "dry_run": "on"},
    )  # fmt: skip

    [event] = AuditEvent.objects.filter(action="directory.imported")
    assert event.actor_username == "root"
    assert event.object_id == hashlib.sha256(UNITS_CSV.encode()).hexdigest()
    assert event.after["file"] == "don_vi_thang12.csv"
    assert event.after["units"] == {"created": 2, "updated": 0, "unchanged": 0}


def test_admin_upload_with_bad_row_shows_error_table(admin_client: Client) -> None:
    page = upload(admin_client, (UNITS_CSV + "T2,Trường 2,vu_tru,,,,\n").encode())

    assert 'id="import-errors"' in page
    assert "<td>4</td>" in page
    assert "<td>loai</td>" in page
    assert "vu_tru" in page
    assert not Unit.objects.exists()


def test_admin_upload_refuses_other_extensions_and_big_files(admin_client: Client) -> None:
    wrong = upload(admin_client, b"ma_don_vi\n", "don_vi.txt")
    big = upload(admin_client, b"x" * (5 * 1024 * 1024 + 1), "don_vi.csv")

    assert "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)." in wrong
    assert "Tệp lớn hơn 5 MB" in big


def test_admin_upload_of_unreadable_file_shows_the_reason(admin_client: Client) -> None:
    page = upload(admin_client, b"PK\x03\x04 broken", "don_vi.xlsx")

    assert "Không đọc được tệp Excel" in page


def test_non_staff_user_cannot_reach_the_import_page(db: None) -> None:
    client = Client()
    client.force_login(UserFactory(username="teacher"))

    response = client.post(
        reverse("admin:org_unit_import"),
        {"file": SimpleUploadedFile("don_vi.csv", UNITS_CSV.encode())},
    )

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Unit.objects.exists()


def test_staff_without_add_unit_permission_is_refused(db: None) -> None:
    client = Client()
    client.force_login(UserFactory(username="clerk", is_staff=True))

    response = client.post(
        reverse("admin:org_unit_import"),
        {"file": SimpleUploadedFile("don_vi.csv", UNITS_CSV.encode())},
    )

    assert response.status_code == 403
    assert not Unit.objects.exists()
