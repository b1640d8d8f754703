"""Official documents: numbers, content read back from the PDF and the DOCX, versions."""

import datetime
import io

import docx
import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from docx.shared import Mm

from approvals.documents.content_common import date_line, long_date
from approvals.documents.registers import next_number
from approvals.documents.services import (
    DocumentError,
    TamperedFile,
    document_file,
    document_issue,
    document_reissue,
    file_name,
    notification_documents,
)
from approvals.documents.signatures import latest_signature, signature_file
from approvals.models import (
    AgencyNotification,
    AuditEvent,
    Document,
    DocumentRegister,
    OutboxMessage,
)
from approvals.notifications import notification_attachments
from approvals.outbox import message_send
from delegations.services.inbound import InboundInput, VisitorInput, inbound_create
from org.models import Role
from tests.approvals.record_helpers import (
    AGENCY_NAMES,
    approved,
    document_texts,
    documents_of,
    docx_text,
    make_agencies,
    pdf_text,
)
from tests.delegations.outbound_helpers import far_departure
from tests.factories import UserFactory, make_staff
from tests.flows import approve_all, submit
from workflow.services import outbound_cancel

pytestmark = pytest.mark.django_db


def test_approval_issues_the_decision_and_the_agencies_letter_with_their_files(trip):
    documents = documents_of(trip)
    assert set(documents) == {"outbound_decision", "outbound_notice"}
    year = timezone.localdate().year
    assert documents["outbound_decision"].number_text == "01/QĐ-SGDĐT"
    assert documents["outbound_notice"].number_text == "01/GDĐT-VP"
    for document in documents.values():
        assert document.rendered_at is not None
        assert len(document.pdf_sha256) == 64 and len(document.docx_sha256) == 64
        assert document.register.year == year
    assert AuditEvent.objects.filter(action="document.issued").count() == 2


def test_decision_pdf_reads_back_number_names_dates_and_recipients(trip, teacher_a, traveller):
    decision = documents_of(trip)["outbound_decision"]
    name, data, content_type = document_file(decision, "pdf")
    assert data.startswith(b"%PDF") and content_type == "application/pdf"
    assert name.endswith(".pdf") and name.isascii()
    text = pdf_text(data)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 01/QĐ-SGDĐT",
        date_line(decision.issued_on),
        "QUYẾT ĐỊNH",
        "Về việc cử viên chức đi công tác nước ngoài",
        "Trần Thị Lan",
        "Nguyễn Thị Ánh Tuyết",
        "07/02/1984",
        f"từ ngày {trip.departure_date:%d/%m/%Y} đến ngày {trip.return_date:%d/%m/%Y}",
        "Nhật Bản",
        "Nơi nhận:",
        *AGENCY_NAMES,
        "Lưu: VT, VP.",
        "GIÁM ĐỐC",
        "Nguyễn Văn Hiếu",
        "DANH SÁCH VIÊN CHỨC ĐI NƯỚC NGOÀI",
        "(Kèm theo Quyết định số 01/QĐ-SGDĐT",
    ):
        assert expected in text, expected
    passport = trip.members.get(person=traveller).passport.number
    assert passport in text  # the agencies' copy carries the full passport number


def test_decision_docx_opens_and_holds_the_same_text(trip):
    decision = documents_of(trip)["outbound_decision"]
    name, data, _type = document_file(decision, "docx")
    assert name.endswith(".docx") and data.startswith(b"PK")
    text = docx_text(data)
    for expected in (
        "Số: 01/QĐ-SGDĐT",
        date_line(decision.issued_on),
        "Trần Thị Lan",
        "Nguyễn Thị Ánh Tuyết",
        *AGENCY_NAMES,
        "Lưu: VT, VP.",
        "Nguyễn Văn Hiếu",
    ):
        assert expected in text, expected


def test_docx_is_a4_with_the_decree_margins_and_a_times_font(trip):
    decision = documents_of(trip)["outbound_decision"]
    document = docx.Document(io.BytesIO(document_file(decision, "docx")[1]))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.left_margin - Mm(30)) < Mm(1)
    assert abs(section.right_margin - Mm(15)) < Mm(1)
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_pdf_embeds_a_font_with_vietnamese_glyphs(trip):
    data = document_file(documents_of(trip)["outbound_decision"], "pdf")[1]
    assert b"LiberationSerif" in data


def test_agencies_letter_names_the_decision_and_is_addressed_to_both_agencies(trip):
    letter = documents_of(trip)["outbound_notice"]
    text = pdf_text(document_file(letter, "pdf")[1])
    assert "Số: 01/GDĐT-VP" in text
    assert "V/v thông báo viên chức đi nước ngoài" in text
    assert "Kính gửi:" in text and all(name in text for name in AGENCY_NAMES)
    assert "Quyết định số 01/QĐ-SGDĐT" in text
    assert "cử 2 viên chức của Trường THPT A" in text


def test_deputy_director_signs_for_the_director(org, media, teacher_a, head_a, dept_reviewer,
                                                django_capture_on_commit_callbacks):  # fmt: skip
    deputy = make_staff(
        "deputy", org.department, Role.DEPUTY_DIRECTOR, full_name="Dương Thị Hồng Nhung"
    )
    make_agencies()
    with django_capture_on_commit_callbacks(execute=True):
        request = approved(teacher_a, head_a, dept_reviewer, deputy)
    text = pdf_text(document_file(documents_of(request)["outbound_decision"], "pdf")[1])
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Dương Thị Hồng Nhung" in text


def test_personal_trip_decision_permits_rather_than_sends(org, media, teacher_a, head_a,
                                                          dept_reviewer, director):  # fmt: skip
    make_agencies()
    request = approved(teacher_a, head_a, dept_reviewer, director, kind="personal")
    decision = documents_of(request)["outbound_decision"]
    text = pdf_text(document_file(decision, "pdf")[1])
    assert "Về việc cho phép viên chức đi nước ngoài về việc riêng" in text
    assert "Cho phép ông (bà) Trần Thị Lan" in text


def test_ward_decision_is_numbered_in_the_wards_own_register(org, media, ward_teacher, ward_chair):
    ward_head = make_staff("ward_head", org.ward_school, Role.UNIT_HEAD, full_name="Đỗ Thị Hạnh")
    make_agencies()
    request = approved(ward_teacher, ward_head, ward_chair, kind="personal")
    assert request.route == "WARD"
    decision = documents_of(request)["outbound_decision"]
    assert decision.number_text == "01/QĐ-UBND"
    assert decision.register.unit == org.ward
    text = pdf_text(document_file(decision, "pdf")[1])
    assert "ỦY BAN NHÂN DÂN PHƯỜNG 1" in text
    assert "CHỦ TỊCH Huỳnh Văn Tâm" in text
    assert "Lưu: VT." in text


def test_cancellation_issues_a_letter_with_the_reason(trip, teacher_a):
    outbound_cancel(actor=teacher_a.user, request=trip, reason="Đối tác hoãn hội thảo")
    letter = documents_of(trip)["outbound_cancellation"]
    assert letter.number_text == "02/GDĐT-VP"  # the letters' register continues
    text = pdf_text(document_file(letter, "pdf")[1])
    assert "V/v hủy chuyến đi nước ngoài của viên chức" in text
    assert "Lý do: Đối tác hoãn hội thảo." in text
    assert "Quyết định số 01/QĐ-SGDĐT" in text


def test_documents_issued_one_after_another_get_consecutive_numbers(org, trip, teacher_a,
                                                                    head_a, dept_reviewer,
                                                                    director):  # fmt: skip
    second = approved(teacher_a, head_a, dept_reviewer, director, departure=far_departure(80))
    numbers = [documents_of(r)["outbound_decision"].number for r in (trip, second)]
    assert numbers == [1, 2]
    register = DocumentRegister.objects.get(series="decision", unit=org.department)
    assert register.last_number == 2


def test_a_number_taken_in_a_rolled_back_transaction_is_given_again(org):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        next_number(unit=org.department, series="decision", year=2026)
        raise Abort
    _register, number = next_number(unit=org.department, series="decision", year=2026)
    assert number == 1


def test_confidential_documents_and_each_year_have_their_own_register(org):
    assert next_number(unit=org.department, series="decision", year=2026)[1] == 1
    assert next_number(unit=org.department, series="decision", year=2026, confidential=True)[1] == 1
    register = DocumentRegister.objects.get(unit=org.department, year=2026, confidential=False)
    register.symbol = "QĐ-GDĐT"
    register.save()
    next_year, number = next_number(unit=org.department, series="decision", year=2027)
    assert number == 1
    assert next_year.symbol == "QĐ-GDĐT"  # the administrator's symbol carries over


def test_issuing_twice_returns_the_same_document(trip):
    decision = documents_of(trip)["outbound_decision"]
    again = document_issue(kind="outbound_decision", request=trip)
    assert again.pk == decision.pk
    assert Document.objects.filter(request_id=trip.pk, kind="outbound_decision").count() == 1


def test_replacement_gets_a_new_number_names_the_replaced_one_and_keeps_it(
    trip, dept_reviewer, traveller, django_capture_on_commit_callbacks
):
    first = documents_of(trip)["outbound_decision"]
    first_hash, first_pdf = first.pdf_sha256, first.pdf.name
    traveller.full_name = "Nguyễn Thị Ánh Tuyết Hồng"
    traveller.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = document_reissue(
            document=first, actor=dept_reviewer.user, reason="Sửa họ tên thành viên"
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.version, second.supersedes_id) == (2, first.pk)
    assert (first.number_text, second.number_text) == ("01/QĐ-SGDĐT", "02/QĐ-SGDĐT")
    assert (first.pdf_sha256, first.pdf.name) == (first_hash, first_pdf)
    assert second.pdf_sha256 != first_hash
    replaced = f"thay thế Quyết định số 01/QĐ-SGDĐT {long_date(first.issued_on)}"
    for text in document_texts(second):
        assert "Số: 02/QĐ-SGDĐT" in text
        assert f"có hiệu lực kể từ ngày ký và {replaced}" in text
        assert "(Kèm theo Quyết định số 02/QĐ-SGDĐT" in text
    assert "Nguyễn Thị Ánh Tuyết Hồng" in pdf_text(document_file(second, "pdf")[1])
    assert "Nguyễn Thị Ánh Tuyết Hồng" not in pdf_text(document_file(first, "pdf")[1])
    with pytest.raises(ValueError):
        first.save()  # an issued row is never updated in place
    assert AuditEvent.objects.filter(action="document.reissued").count() == 1


def test_only_the_latest_version_can_be_reissued(trip, dept_reviewer):
    first = documents_of(trip)["outbound_decision"]
    document_reissue(document=first, actor=dept_reviewer.user, reason="Sửa lỗi chính tả")
    with pytest.raises(DocumentError):
        document_reissue(document=first, actor=dept_reviewer.user, reason="Lần nữa")


def test_a_stored_file_changed_on_disk_is_refused(trip):
    decision = documents_of(trip)["outbound_decision"]
    with open(decision.pdf.path, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(TamperedFile):
        document_file(decision, "pdf")


def test_agency_notification_carries_the_letter_and_the_decision_as_pdf(trip):
    notification = AgencyNotification.objects.filter(request_id=trip.pk).first()
    attachments = notification_attachments(notification.messages.get())
    names = [name for name, _data, _type in attachments]
    assert names == ["cong-van-thong-bao-01-gddt-vp.pdf", "quyet-dinh-01-qd-sgddt.pdf"]
    assert all(data.startswith(b"%PDF") for _name, data, _type in attachments)


def test_an_agency_email_reads_its_documents_once_and_attaches_their_signed_files(
    trip, django_assert_max_num_queries
):
    """The mail worker sends one e-mail per agency per approval: its documents are read in one
    query and each document's signature once (it read them three times: 19 queries)."""
    notification = AgencyNotification.objects.filter(request_id=trip.pk).first()
    message = notification.messages.get()
    OutboxMessage.objects.filter(pk=message.pk).update(status="pending", to_address="pa08@ca.test")

    with django_assert_max_num_queries(14):
        assert message_send(message.pk) == "sent"

    sent = {name: data for name, data, _type in mail.outbox[-1].attachments}
    for document in notification_documents(notification):
        signature = latest_signature(document)
        assert signature is not None and signature.kind == "organisation"
        assert sent[file_name(document, "pdf")] == signature_file(signature)


def test_files_render_on_demand_when_the_task_has_not_run(org, media, teacher_a, head_a,
                                                          dept_reviewer, director):  # fmt: skip
    make_agencies()
    request = approved(teacher_a, head_a, dept_reviewer, director)  # on_commit never runs here
    decision = documents_of(request)["outbound_decision"]
    assert decision.rendered_at is None
    assert document_file(decision, "pdf")[1].startswith(b"%PDF")
    decision.refresh_from_db()
    assert decision.rendered_at is not None
    assert AuditEvent.objects.filter(action="document.rendered").count() == 1


def test_inbound_approval_issues_the_host_letter_and_the_agencies_notice(
    org, media, clerk_a, head_a, dept_reviewer, director, django_capture_on_commit_callbacks
):
    make_agencies()
    arrival = far_departure(45)
    data = InboundInput(
        organisation="Osaka Board of Education", country="JP", purpose_category="visit",
        purpose="Trao đổi kinh nghiệm dạy học STEM", arrival_date=arrival,
        departure_date=arrival + datetime.timedelta(days=1), accommodation_kind="hotel",
        accommodation_address="Khách sạn Rex, 141 Nguyễn Huệ",
        visitors=[
            VisitorInput(full_name=name, nationality="JP", passport_number=number,
                         passport_expiry=datetime.date(2035, 1, 1),
                         date_of_birth=datetime.date(1975, 4, 2))
            for name, number in (("Tanaka Hiroshi", "TK1234567"), ("Nguyễn Văn Ánh", "TK7654321"))
        ],
    )  # fmt: skip
    visit = inbound_create(actor=clerk_a.user, data=data)
    submit(visit, clerk_a)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(visit, head_a, dept_reviewer, director)
    documents = documents_of(visit)
    assert {d.number_text for d in documents.values()} == {"01/GDĐT-VP", "02/GDĐT-VP"}
    host = pdf_text(document_file(documents["inbound_approval"], "pdf")[1])
    assert "V/v đồng ý đón đoàn khách nước ngoài" in host
    assert "Kính gửi: Trường THPT A." in host
    assert "Nguyễn Văn Ánh" in host and "TK7654321" in host
    notice = docx_text(document_file(documents["inbound_notice"], "docx")[1])
    assert all(name in notice for name in AGENCY_NAMES)
    assert "Khách sạn Rex, 141 Nguyễn Huệ" in notice
    assert "Tanaka Hiroshi" in notice


def test_administrators_see_registers_and_documents_in_the_admin(trip, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    registers = client.get("/admin/approvals/documentregister/")
    assert registers.status_code == 200 and "QĐ-SGDĐT" in registers.content.decode()
    documents = client.get("/admin/approvals/document/")
    assert documents.status_code == 200 and "01/GDĐT-VP" in documents.content.decode()
