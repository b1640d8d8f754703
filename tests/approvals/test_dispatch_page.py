"""The văn thư's dispatch page: release, due and overdue, paper and phone acknowledgements."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from approvals.models import AgencyNotification, AuditEvent, OutboxMessage
from tests.approvals.dispatch_helpers import acknowledge
from tests.conftest import login
from tests.flows import approve_all, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(settings, org, agencies, teacher_a, head_a, dept_reviewer, director):
    settings.AGENCY_DISPATCH_AUTO = False
    request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
    return request, AgencyNotification.objects.get(request_id=request.pk, agency__code="CATP")


def test_office_sees_what_is_due_and_releases_it_with_signed_pdfs(
    held, dept_reviewer, django_capture_on_commit_callbacks
):
    _request, police = held
    office = login(dept_reviewer)
    AgencyNotification.objects.filter(pk=police.pk).update(
        due=timezone.localdate() - datetime.timedelta(days=2)
    )
    page = office.get("/cong-van-di/").content.decode()
    assert "Cần gửi (2)" in page
    assert "1 quá hạn" in page
    assert "Đã chuẩn bị" in page
    assert OutboxMessage.objects.get(notification=police).status == "held"
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(f"/cong-van-di/{police.pk}/phat-hanh/")
    assert response.status_code == 302
    police.refresh_from_db()
    assert police.status == "delivered" and police.sent_by == dept_reviewer.user
    sent = [m for m in mail.outbox if m.to == ["pa08@ca.test"]]
    assert len(sent) == 1 and len(sent[0].attachments) == 2
    # Twice: a clear message, nothing sent again.
    response = office.post(f"/cong-van-di/{police.pk}/phat-hanh/", follow=True)
    assert "đã được phát hành trước đó" in response.content.decode()
    assert len([m for m in mail.outbox if m.to == ["pa08@ca.test"]]) == 1
    page = office.get("/cong-van-di/").content.decode()
    assert "Đã gửi, chưa xác nhận (1)" in page


def test_others_may_not_release_or_see_the_page(held, teacher_a, head_b, clerk_a):
    _request, police = held
    assert login(teacher_a).get("/cong-van-di/").status_code == 403
    assert login(head_b).post(f"/cong-van-di/{police.pk}/phat-hanh/").status_code == 404
    assert login(clerk_a).post(f"/cong-van-di/{police.pk}/phat-hanh/").status_code == 403
    assert login(head_b).post(f"/cong-van-di/{police.pk}/xac-nhan/").status_code == 404
    police.refresh_from_db()
    assert police.status == "pending"


def test_paper_acknowledgement_records_channel_day_and_who(held, dept_reviewer):
    _request, police = held
    office = login(dept_reviewer)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = office.post(
        f"/cong-van-di/{police.pk}/xac-nhan/", {"via": "paper", "on": tomorrow}, follow=True
    )
    assert "Ngày xác nhận không được sau hôm nay." in response.content.decode()
    response = office.post(
        f"/cong-van-di/{police.pk}/xac-nhan/", {"via": "paper", "on": "31/02/2026"}, follow=True
    )
    assert "Ngày xác nhận không hợp lệ" in response.content.decode()
    response = office.post(
        f"/cong-van-di/{police.pk}/xac-nhan/", {"via": "link", "on": ""}, follow=True
    )
    assert "Hình thức xác nhận không hợp lệ." in response.content.decode()
    police.refresh_from_db()
    assert police.status == "pending"

    acknowledge(office, police, via="phone", note="Đ/c Hùng, PA08", by=dept_reviewer)
    event = AuditEvent.objects.get(action="notification.acknowledged")
    assert event.after["via"] == "phone" and event.comment == "Đ/c Hùng, PA08"


def test_without_a_signature_the_mail_waits_and_the_page_says_why(
    settings, org, agencies, teacher_a, head_a, dept_reviewer, director,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.DOCUMENT_SIGNING_P12 = ""  # no organisation certificate, nobody signed
    with django_capture_on_commit_callbacks(execute=True):
        request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
    police = AgencyNotification.objects.get(request_id=request.pk, agency__code="CATP")
    message = OutboxMessage.objects.get(notification=police)
    assert (message.status, message.attempts) == ("pending", 0)
    assert "Chờ ký số văn bản" in message.last_error
    assert police.status == "sent"
    assert not [m for m in mail.outbox if m.to == ["pa08@ca.test"]]
    page = login(dept_reviewer).get("/cong-van-di/").content.decode()
    assert "Chờ ký số văn bản" in page
