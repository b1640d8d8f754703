"""Agency notifications: the e-mail, its recipients, the acknowledgement link, API, escalation."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from approvals.models import AgencyNotification, AgencyRecipient, AuditEvent, Notice, OutboxMessage
from approvals.notifications import (
    ACK_SALT,
    ack_token,
    ack_token_load,
    agency_notices_escalate,
    agency_notification_acknowledge,
)
from approvals.outbox import message_send
from org.calendar import add_working_days, current_calendar
from org.models import Role, Unit
from tests.approvals.record_helpers import audit_actions
from tests.conftest import login
from tests.delegations.inbound_helpers import create, post, visit
from tests.factories import UnitFactory, make_staff
from tests.flows import approve_all, submitted
from workflow.services import outbound_cancel

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(org, agencies, teacher_a, head_a, dept_reviewer, director):
    return approve_all(submitted(teacher_a), head_a, dept_reviewer, director)


def _notice(request, code: str) -> AgencyNotification:
    return AgencyNotification.objects.get(request_id=request.pk, agency__code=code)


def test_approval_writes_one_notification_and_one_vietnamese_email_per_agency(approved):
    notifications = AgencyNotification.objects.filter(request_id=approved.pk)
    assert sorted(n.agency.code for n in notifications) == ["CATP", "SNGV"]
    police = _notice(approved, "CATP")
    message = OutboxMessage.objects.get(notification=police)
    assert message.to_address == "pa08@ca.test"
    assert approved.reference in message.subject
    assert "Thông báo phê duyệt" in message.subject
    body = message.body_text
    assert "Kính gửi: Công an Thành phố" in body
    assert "Trần Thị Lan" in body  # the member
    assert approved.departure_date.strftime("%d/%m/%Y") in body
    assert "Trường THPT A" in body
    link = re.search(r"http://\S+/xac-nhan/(\S+)/", body)
    assert link is not None
    assert ack_token_load(link.group(1)) == police
    assert "&#" not in body  # plain text, not HTML-escaped


def test_sending_delivers_the_signed_pdfs_and_audits_prepared_sent_delivered(approved):
    police = _notice(approved, "CATP")
    assert police.status == "sent"  # AGENCY_DISPATCH_AUTO: released as soon as prepared
    assert police.get_status_display() != "Đã gửi đến cơ quan"
    message = OutboxMessage.objects.get(notification=police)
    assert message_send(message.pk) == "sent"
    police.refresh_from_db()
    assert police.status == "delivered"
    assert police.get_status_display() == "Đã gửi đến cơ quan"
    assert police.delivered_at is not None
    sent = mail.outbox[-1]
    assert sent.to == ["pa08@ca.test"]
    names = [name for name, _data, _type in sent.attachments]
    assert [n.split("-")[0] for n in names] == ["cong", "quyet"]  # the letter, then the decision
    for _name, data, content_type in sent.attachments:
        assert content_type == "application/pdf"
        assert b"/ByteRange" in data and b"/ETSI.CAdES.detached" in data
    actions = audit_actions(
        action__startswith="notification.",
        object_id=str(approved.pk),
        object_type="outbound",
        after__notification=police.pk,
    )
    assert actions == ["notification.prepared", "notification.sent", "notification.delivered"]


def test_recipients_per_kind_and_route_replace_the_agency_address(
    org, agencies, teacher_a, head_a, dept_reviewer, director
):
    police = agencies[0]
    AgencyRecipient.objects.create(agency=police, email="chung@ca.test")
    AgencyRecipient.objects.create(
        agency=police, request_kind="outbound", route="DEPT", email="doanra@ca.test"
    )
    AgencyRecipient.objects.create(
        agency=police, request_kind="outbound", route="DEPT", email="truc@ca.test"
    )
    AgencyRecipient.objects.create(agency=police, request_kind="inbound", email="doanvao@ca.test")
    request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
    assert request.route == "DEPT"
    to = OutboxMessage.objects.get(notification=_notice(request, "CATP")).to_address
    assert to == "doanra@ca.test, truc@ca.test"
    to = OutboxMessage.objects.get(notification=_notice(request, "SNGV")).to_address
    assert to == "songv@sngv.test"


def test_cancellation_notifies_the_agencies_again_with_its_own_letter(approved, teacher_a):
    outbound_cancel(actor=teacher_a.user, request=approved, reason="Đối tác hoãn")
    rows = OutboxMessage.objects.filter(notification__reason="cancellation")
    assert rows.count() == 2
    assert all("nay bị hủy" in row.body_text for row in rows)


def test_agency_officer_acknowledges_once_through_the_link_without_an_account(approved):
    police = _notice(approved, "CATP")
    url = f"/xac-nhan/{ack_token(police)}/"
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert "Công an Thành phố" in page.content.decode()
    assert approved.reference in page.content.decode()

    done = client.post(url, {"name": "Đại úy Lê Văn An"})
    assert done.status_code == 200
    assert "đã xác nhận nhận thông báo" in done.content.decode()
    police.refresh_from_db()
    assert police.status == "acknowledged"
    assert police.acknowledged_via == "link"
    assert "Lê Văn An" in police.acknowledgement_note
    assert AuditEvent.objects.filter(action="notification.acknowledged").count() == 1

    again = client.post(url, {"name": "Người khác"})
    assert again.status_code == 409
    assert "chỉ dùng được một lần" in again.content.decode()
    assert AuditEvent.objects.filter(action="notification.acknowledged").count() == 1


def test_expired_link_is_refused_with_a_clear_message(approved):
    class MonthOldSigner(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 31 * 24 * 3600)

    police = _notice(approved, "CATP")
    token = MonthOldSigner(salt=ACK_SALT).sign(str(police.pk))
    response = Client().post(f"/xac-nhan/{token}/")
    assert response.status_code == 400
    assert "đã hết hạn" in response.content.decode()
    police.refresh_from_db()
    assert police.status != "acknowledged"


def test_forged_link_is_refused(approved):
    police = _notice(approved, "CATP")
    token = ack_token(police)
    forged = str(police.pk + 1) + token[token.index(":") :]
    response = Client().get(f"/xac-nhan/{forged}/")
    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()


def test_api_lists_a_requests_notifications(approved, clerk_a):
    response = login(clerk_a).get(f"/api/v1/notifications/?request=outbound:{approved.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [n["agency"] for n in body["results"]] == ["Công an Thành phố", "Sở Ngoại vụ"]
    assert body["results"][0]["status"] == "sent"  # released, not yet accepted by SMTP
    assert body["next"] is None


def test_api_hides_notifications_of_other_schools(approved, head_b):
    client = login(head_b)
    assert client.get(f"/api/v1/notifications/?request=outbound:{approved.pk}").status_code == 404
    police = _notice(approved, "CATP")
    response = client.post(
        f"/api/v1/notifications/{police.pk}/acknowledge/", {"via": "paper"}, "application/json"
    )
    assert response.status_code == 404


def test_api_rejects_a_malformed_request_parameter(approved, clerk_a):
    client = login(clerk_a)
    for query in ("", "?request=outbound", "?request=trip:1", "?request=outbound:x"):
        response = client.get(f"/api/v1/notifications/{query}")
        assert response.status_code == 400
        assert "request" in response.json()["errors"]


def test_clerk_records_a_phone_acknowledgement_once(approved, clerk_a):
    police = _notice(approved, "CATP")
    client = login(clerk_a)
    url = f"/api/v1/notifications/{police.pk}/acknowledge/"
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"via": "phone", "on": tomorrow}, "application/json")
    assert response.status_code == 400
    assert "Ngày xác nhận không được sau hôm nay." in str(response.json()["errors"])
    response = client.post(
        url, {"via": "phone", "note": "Anh Bình, PA08, 9:30"}, "application/json"
    )
    assert response.status_code == 200
    assert response.json()["acknowledged_on"] == timezone.localdate().isoformat()
    assert response.json()["status"] == "acknowledged"
    assert response.json()["acknowledged_via"] == "phone"
    police.refresh_from_db()
    assert police.acknowledged_by == clerk_a.user
    assert client.post(url, {"via": "paper"}, "application/json").status_code == 409


def test_applicant_may_see_but_not_record_an_acknowledgement(approved, teacher_a):
    police = _notice(approved, "CATP")
    client = login(teacher_a)
    assert client.get(f"/api/v1/notifications/?request=outbound:{approved.pk}").status_code == 200
    response = client.post(
        f"/api/v1/notifications/{police.pk}/acknowledge/", {"via": "paper"}, "application/json"
    )
    assert response.status_code == 403


def test_acknowledgement_with_an_unknown_channel_is_a_400(approved, clerk_a):
    police = _notice(approved, "CATP")
    response = login(clerk_a).post(
        f"/api/v1/notifications/{police.pk}/acknowledge/", {"via": "fax"}, "application/json"
    )
    assert response.status_code == 400
    assert "via" in response.json()["errors"]


def test_unacknowledged_notices_escalate_once_to_the_reviewer_who_handled_the_dossier(
    approved, dept_reviewer, clerk_a
):
    agency_notification_acknowledge(
        notification=_notice(approved, "SNGV"), via="paper", actor=clerk_a.user
    )
    police = _notice(approved, "CATP")
    late = add_working_days(police.due, 1, current_calendar())
    assert agency_notices_escalate(today=police.due) == 0  # not late yet
    assert agency_notices_escalate(today=late) == 1
    assert agency_notices_escalate(today=late) == 0
    notices = Notice.objects.filter(user=dept_reviewer.user, text__contains="chưa xác nhận")
    assert notices.count() == 1
    assert "Công an Thành phố" in notices.get().text
    police.refresh_from_db()
    assert police.escalated_at is not None
    assert police.escalated_at <= timezone.now()


def test_inbound_approval_tells_the_police_who_the_visitors_are(
    org, agencies, clerk_a, head_a, dept_reviewer, director
):
    client = login(clerk_a)
    visit_id = create(client)["id"]
    assert post(client, f"/api/v1/inbound/{visit_id}/submit/").status_code == 200
    approve_all(visit(visit_id), head_a, dept_reviewer, director)
    message = OutboxMessage.objects.get(
        notification__request_kind="inbound", notification__agency__code="CATP"
    )
    assert message.subject.startswith("Đoàn vào – Thông báo phê duyệt")
    body = message.body_text
    assert "Tanaka Hiroshi – quốc tịch Nhật Bản, hộ chiếu số TK" in body
    assert "Osaka Board of Education (Nhật Bản)" in body
    assert "Khách sạn Rex" in body


def test_agency_without_address_fails_visibly_and_goes_once_the_address_is_fixed(
    org, teacher_a, head_a, dept_reviewer, director, admin_client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    UnitFactory(code="CATP", name="Công an Thành phố", kind="agency", email="")
    request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
    message = OutboxMessage.objects.get(notification__request_id=request.pk)
    assert message_send(message.pk) == "failed"
    assert _notice(request, "CATP").status == "failed"
    assert (
        "Công an Thành phố"
        in admin_client.get("/admin/approvals/outboxmessage/?status__exact=failed").content.decode()
    )

    Unit.objects.filter(code="CATP").update(email="pa08@ca.test")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/approvals/outboxmessage/",
            {"action": "retry_failed", "_selected_action": [message.pk]},
        )
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.to_address == "pa08@ca.test"
    assert _notice(request, "CATP").status == "delivered"
    assert mail.outbox[-1].to == ["pa08@ca.test"]
    assert AuditEvent.objects.filter(action="notification.retried").count() == 1


def _dossier_lines(body: str) -> list[str]:
    """The itinerary's line and the numbered travellers of a letter."""
    return [line for line in body.splitlines() if re.match(r"(Nơi đến|\d+\. )", line)]


def test_an_approval_letter_lists_the_dossier_as_a_letter_written_later_does(
    org, agencies, teacher_a, head_a, dept_reviewer, director
):
    """The approval's letters take the travellers and the itinerary from what the Director's
    decision read in the same step; a cancellation's letters read them afresh. Both list the
    same people with their passports and the same stops, in the same order."""
    colleagues = [
        make_staff(f"traveller_{i}", org.school_a, Role.APPLICANT, full_name=f"Giáo viên {i}")
        for i in range(3)
    ]
    request = approve_all(
        submitted(teacher_a, teacher_a, *colleagues, passports=True),
        head_a, dept_reviewer, director,
    )  # fmt: skip
    assert teacher_a.user is not None
    outbound_cancel(actor=teacher_a.user, request=request, reason="Đối tác hoãn chương trình")
    letters = {
        n.reason: _dossier_lines(OutboxMessage.objects.get(notification=n).body_text)
        for n in AgencyNotification.objects.filter(request_id=request.pk, agency__code="CATP")
    }
    assert len(letters["approval"]) == 1 + 4  # the stops, then four travellers
    assert all("hộ chiếu phổ thông số" in line for line in letters["approval"][1:])
    assert letters["approval"] == letters["cancellation"]
