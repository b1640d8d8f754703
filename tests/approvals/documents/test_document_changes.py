"""Changes after approval are issued as documents (NĐ 30): numbers and references read back."""

import datetime

import pytest

from approvals.documents.content_common import long_date
from approvals.documents.services import notification_documents
from approvals.models import AgencyNotification, AuditEvent
from tests.approvals.record_helpers import document_texts, documents_of, make_agencies
from tests.flows import approve_all, draft_visit, submit, submitted
from workflow.services import outbound_cancel, outbound_request_extension, task_complete

pytestmark = pytest.mark.django_db


def test_approved_extension_issues_an_amending_decision_with_the_new_return_date(
    trip, teacher_a, director, django_capture_on_commit_callbacks
):
    decision = documents_of(trip)["outbound_decision"]
    old_return = trip.return_date
    new_return = old_return + datetime.timedelta(days=3)
    process = outbound_request_extension(
        actor=teacher_a.user, request=trip, new_return_date=new_return, reason="Hội thảo kéo dài"
    )
    with django_capture_on_commit_callbacks(execute=True):
        task_complete(task_id=process.task_set.get(status="NEW").pk, user=director.user,
                      action="approve")  # fmt: skip
    amendment = documents_of(trip)["outbound_amendment"]
    assert amendment.number_text == "02/QĐ-SGDĐT"  # the decisions' register continues
    reference = f"Quyết định số 01/QĐ-SGDĐT {long_date(decision.issued_on)}"
    for text in document_texts(amendment):
        assert "Số: 02/QĐ-SGDĐT" in text
        assert "Về việc điều chỉnh thời gian đi nước ngoài của viên chức" in text
        assert (
            f"tại {reference}: ngày về nước là ngày {new_return:%d/%m/%Y} "
            f"(thay cho ngày {old_return:%d/%m/%Y})"
        ) in text
        assert f"Các nội dung khác của {reference} giữ nguyên hiệu lực." in text
        assert "GIÁM ĐỐC Nguyễn Văn Hiếu" in text
    extension_notices = AgencyNotification.objects.filter(request_id=trip.pk, reason="extension")
    assert extension_notices.count() == 2
    assert [d.kind for d in notification_documents(extension_notices.first())] == [
        "outbound_amendment"
    ]


def test_cancellation_after_approval_issues_the_authoritys_revocation_and_the_agencies_letter(
    trip, teacher_a, org
):
    decision = documents_of(trip)["outbound_decision"]
    outbound_cancel(actor=teacher_a.user, request=trip, reason="Đối tác hoãn hội thảo")
    documents = documents_of(trip)
    revocation, letter = documents["outbound_revocation"], documents["outbound_cancellation"]
    assert revocation.number_text == "02/QĐ-SGDĐT"
    assert letter.number_text == "02/GDĐT-VP"
    reference = f"Quyết định số 01/QĐ-SGDĐT {long_date(decision.issued_on)}"
    for text in document_texts(revocation):
        assert f"Về việc hủy bỏ {reference}" in text
        assert f"Hủy bỏ {reference} của Giám đốc Sở Giáo dục và Đào tạo" in text
        assert "Lý do: Đối tác hoãn hội thảo." in text
        # Signed by the head of the authority, never by the traveller who cancelled.
        assert "GIÁM ĐỐC Nguyễn Văn Hiếu" in text
        assert "Trần Thị Lan" not in text.split("Nơi nhận:")[-1]
    pdf, _docx = document_texts(letter)
    assert f"Quyết định số 02/QĐ-SGDĐT {long_date(revocation.issued_on)} hủy bỏ" in pdf
    notice = AgencyNotification.objects.filter(request_id=trip.pk, reason="cancellation").first()
    assert [d.kind for d in notification_documents(notice)] == [
        "outbound_cancellation",
        "outbound_revocation",
    ]
    assert AuditEvent.objects.filter(action="document.issued").count() == 4


def test_city_route_produces_the_directors_proposal_to_ubnd_tp(
    org, media, teacher_a, head_a, dept_reviewer, director, django_capture_on_commit_callbacks
):
    make_agencies()
    with django_capture_on_commit_callbacks(execute=True):
        request = approve_all(
            submitted(teacher_a, kind="personal", days=100, passports=True),
            head_a, dept_reviewer, director,
        )  # fmt: skip
    assert request.route == "CITY"
    documents = documents_of(request)
    assert set(documents) == {"outbound_proposal"}  # the City decides: no decision of the Sở
    proposal = documents["outbound_proposal"]
    assert proposal.number_text == "01/TTr-SGDĐT"
    for text in document_texts(proposal):
        assert "Số: 01/TTr-SGDĐT" in text
        assert "TỜ TRÌNH" in text
        assert "Về việc cho phép viên chức đi nước ngoài" in text
        assert "Kính gửi: Ủy ban nhân dân Thành phố Hồ Chí Minh" in text
        assert "kính trình Ủy ban nhân dân Thành phố xem xét, cho phép" in text
        assert "GIÁM ĐỐC Nguyễn Văn Hiếu" in text


def test_inbound_city_route_produces_the_proposal_too(
    org, media, clerk_a, head_a, dept_reviewer, director
):
    make_agencies()
    visit = draft_visit(clerk_a, senior_guest_level="minister")
    submit(visit, clerk_a)
    visit = approve_all(visit, head_a, dept_reviewer, director)
    assert visit.route == "CITY"
    proposal = documents_of(visit)["inbound_proposal"]
    assert proposal.number_text == "01/TTr-SGDĐT"
    pdf, docx = document_texts(proposal)
    for text in (pdf, docx):
        assert "TỜ TRÌNH" in text and "Về việc đón đoàn khách nước ngoài" in text
        assert "Busan Metropolitan Office of Education (Hàn Quốc)" in text
        assert "kính trình Ủy ban nhân dân Thành phố xem xét, quyết định./." in text


def test_document_numbers_read_back_the_same_from_pdf_and_docx(trip):
    for document in documents_of(trip).values():
        pdf, docx = document_texts(document)
        assert f"Số: {document.number_text}" in pdf and f"Số: {document.number_text}" in docx
