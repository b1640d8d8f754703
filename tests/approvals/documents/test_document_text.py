"""The wording of the documents: citations, how people are named, place, signature, numbers."""

import datetime

import pytest
from django.utils import timezone

from approvals.documents.content_common import number_text, staff_words, ward_place
from delegations.services.outbound import StopInput
from org.models import Gender, Role, StaffCategory
from tests.approvals.record_helpers import approved, document_texts, documents_of, make_agencies
from tests.factories import make_acting, make_staff

pytestmark = pytest.mark.django_db

CITATION_14 = (
    "Căn cứ Quyết định số 14/2022/QĐ-UBND ngày 19 tháng 4 năm 2022 của Ủy ban nhân dân "
    "Thành phố Hồ Chí Minh về quản lý và xét duyệt cán bộ, công chức, viên chức và người lao "
    "động đi nước ngoài;"
)


def test_decision_cites_14_2022_with_date_and_title_and_the_exit_law(trip):
    for text in document_texts(documents_of(trip)["outbound_decision"]):
        assert CITATION_14 in text
        assert (
            "Căn cứ Luật Xuất cảnh, nhập cảnh của công dân Việt Nam ngày 22 tháng 11 năm 2019;"
            in text
        )
        assert "về quản lý hoạt động đối ngoại" not in text
        assert "Luật Tổ chức chính quyền địa phương" not in text  # the Sở is not a ward


def test_gender_from_the_directory_gives_ong_or_ba(org, media, teacher_a, head_a, dept_reviewer,
                                                    director):  # fmt: skip
    teacher_a.gender = Gender.FEMALE
    teacher_a.save()
    make_agencies()
    request = approved(teacher_a, head_a, dept_reviewer, director, kind="personal")
    for text in document_texts(documents_of(request)["outbound_decision"]):
        assert "Cho phép bà Trần Thị Lan" in text
        assert "Bà Trần Thị Lan có trách nhiệm báo cáo" in text
        assert "ông (bà)" not in text.lower()


def test_teachers_are_vien_chuc_and_a_mixed_group_is_named_by_its_categories(
    org, media, teacher_a, head_a, dept_reviewer, director
):
    worker = make_staff(
        "baove", org.school_a, full_name="Lê Văn Tư", category=StaffCategory.NGUOI_LAO_DONG,
        gender=Gender.MALE,
    )  # fmt: skip
    make_agencies()
    request = approved(teacher_a, head_a, dept_reviewer, director, members=(teacher_a, worker))
    decision, notice = (documents_of(request)[k] for k in ("outbound_decision", "outbound_notice"))
    pdf, docx = document_texts(decision)
    for text in (pdf, docx):
        assert "Về việc cử viên chức và người lao động đi công tác nước ngoài" in text
        assert "đoàn gồm 2 viên chức và người lao động có tên trong danh sách kèm theo" in text
        assert "cán bộ có tên" not in text
    assert "DANH SÁCH VIÊN CHỨC VÀ NGƯỜI LAO ĐỘNG ĐI NƯỚC NGOÀI" in pdf
    assert "cử 2 viên chức và người lao động của Trường THPT A" in document_texts(notice)[0]


def test_ward_decision_has_the_wards_place_name_and_local_government_basis(
    org, media, ward_teacher, ward_chair
):
    ward_head = make_staff("ward_head", org.ward_school, Role.UNIT_HEAD, full_name="Đỗ Thị Hạnh")
    make_agencies()
    request = approved(ward_teacher, ward_head, ward_chair, kind="personal")
    decision = documents_of(request)["outbound_decision"]
    day = decision.issued_on
    for text in document_texts(decision):
        assert f"Phường 1, ngày {day:%d} tháng" in text
        assert "Thành phố Hồ Chí Minh, ngày" not in text
        assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;" in text
        assert CITATION_14 in text


def test_acting_director_on_a_vacant_post_signs_q(org, media, teacher_a, head_a, dept_reviewer):
    acting = make_staff("qgd", org.department, None, full_name="Phan Văn Quyền")
    today = timezone.localdate()
    make_acting(
        acting.user, None, org.department, Role.DIRECTOR, until=today + datetime.timedelta(days=30)
    )
    make_agencies()
    request = approved(teacher_a, head_a, dept_reviewer, acting)
    pdf, docx = document_texts(documents_of(request)["outbound_decision"])
    assert "Q. GIÁM ĐỐC Phan Văn Quyền" in pdf
    assert "Q. GIÁM ĐỐC" in docx and "KT. GIÁM ĐỐC" not in docx and "TM." not in docx


def test_office_head_authorised_for_the_director_signs_tuq_with_own_title(
    org, media, teacher_a, head_a, dept_reviewer, director
):
    office_head = make_staff(
        "cvp",
        org.office,
        Role.DEPT_OFFICE_HEAD,
        full_name="Hồ Văn Phúc",
        position="Chánh Văn phòng",
    )
    make_acting(office_head.user, director.user, org.department, Role.DIRECTOR)
    make_agencies()
    request = approved(teacher_a, head_a, dept_reviewer, office_head)
    pdf, _docx = document_texts(documents_of(request)["outbound_decision"])
    assert "TUQ. GIÁM ĐỐC CHÁNH VĂN PHÒNG Hồ Văn Phúc" in pdf


def test_numbers_have_a_leading_zero_below_ten_and_names_read_vietnamese():
    assert number_text(1, "QĐ-SGDĐT") == "01/QĐ-SGDĐT"
    assert number_text(12, "QĐ-SGDĐT") == "12/QĐ-SGDĐT"
    assert number_text(1234, "GDĐT-VP") == "1234/GDĐT-VP"
    assert ward_place("Phường Sài Gòn") == "Sài Gòn"
    assert ward_place("Phường 1") == "Phường 1"
    assert ward_place("Xã Bình Chánh") == "Bình Chánh"
    assert staff_words([StaffCategory.VIEN_CHUC, StaffCategory.VIEN_CHUC]) == "viên chức"
    assert staff_words(["cong_chuc", "can_bo", "vien_chuc"]) == "cán bộ, công chức và viên chức"


def test_countries_and_money_are_written_the_vietnamese_way(org, media, teacher_a, head_a,
                                                             dept_reviewer, director):  # fmt: skip
    make_agencies()
    stops = [StopInput(country="KR", days=2, cities="Seoul"), StopInput(country="JP", days=3)]
    request = approved(
        teacher_a, head_a, dept_reviewer, director, estimated_cost=125500000, itinerary=stops
    )
    for text in document_texts(documents_of(request)["outbound_decision"]):
        assert "đi công tác tại Hàn Quốc và Nhật Bản từ ngày" in text
        assert "Dự toán: 125.500.000 đồng." in text
        assert " KR " not in f" {text} "
