"""The outbox: nothing sent from a rollback, nothing lost without a worker, nothing sent twice."""

from __future__ import annotations

import datetime
import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone, translation

from approvals.models import AgencyNotification, AuditEvent, OutboxMessage
from approvals.outbox import message_enqueue, message_send, outbox_sweep
from approvals.tasks import send_message
from config import celery_app
from tests.flows import approve_all, open_task, submitted
from tests.threads import run_threads
from workflow.services import task_complete

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(minutes=5)
AGENCY_ADDRESSES = {"pa08@ca.test", "songv@sngv.test"}


class FlakySMTPBackend(BaseEmailBackend):
    """An e-mail backend whose server hangs up the first ``failures`` times it is used."""

    failures = 0
    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        if FlakySMTPBackend.failures > 0:
            FlakySMTPBackend.failures -= 1
            raise FlakySMTPBackend.error
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.approvals.test_outbox.FlakySMTPBackend"
    FlakySMTPBackend.failures = 0
    FlakySMTPBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    return FlakySMTPBackend


def test_approval_rolled_back_sends_no_agency_notification(
    org, agencies, teacher_a, head_a, dept_reviewer, director, django_capture_on_commit_callbacks
):
    request = submitted(teacher_a)
    approve_all(request, head_a, dept_reviewer)
    mail.outbox.clear()
    task = open_task(request)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        task_complete(task_id=task.pk, user=director.user, action="approve")
        assert AgencyNotification.objects.filter(request_id=request.pk).count() == 2
        raise RuntimeError("the server crashed before the commit")
    request.refresh_from_db()
    assert request.status == "submitted"
    assert not AgencyNotification.objects.filter(request_id=request.pk).exists()
    assert not OutboxMessage.objects.filter(notification__request_id=request.pk).exists()
    outbox_sweep(now=timezone.now() + LATER)  # the earlier steps' task mails may go; no more
    assert not [m for m in mail.outbox if set(m.to) & AGENCY_ADDRESSES]


def test_message_enqueued_in_a_rolled_back_savepoint_is_never_sent(
    db, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        message_enqueue(to_address="a@example.test", subject="Thử", body_text="Nội dung")
        raise RuntimeError
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_with_the_worker_stopped_approval_commits_and_mail_goes_out_when_it_runs(
    org, agencies, teacher_a, head_a, dept_reviewer, director,
    django_capture_on_commit_callbacks, worker_stopped, settings,
):  # fmt: skip
    request = submitted(teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(request, head_a, dept_reviewer, director)
    assert request.status == "approved"
    rows = OutboxMessage.objects.filter(notification__request_id=request.pk)
    assert sorted(rows.values_list("status", flat=True)) == ["pending", "pending"]
    assert mail.outbox == []

    # The worker comes back: the sweeper hands the rows to it.

    celery_app.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(now=timezone.now() + LATER) >= 2
    sent = [m for m in mail.outbox if set(m.to) & AGENCY_ADDRESSES]
    assert len(sent) == 2
    assert sorted(rows.values_list("status", flat=True)) == ["sent", "sent"]
    assert set(
        AgencyNotification.objects.filter(request_id=request.pk).values_list("status", flat=True)
    ) == {"delivered"}
    # Nothing is left to send, and a late duplicate task does nothing.
    before = len(mail.outbox)
    assert outbox_sweep(now=timezone.now() + LATER) == 0
    for row in rows:
        assert message_send(row.pk) == "skipped"
    assert len(mail.outbox) == before


def test_send_task_running_twice_sends_one_mail_with_the_rows_message_id(db):
    row = message_enqueue(to_address="a@example.test", subject="Thử", body_text="Nội dung")
    assert row is not None
    send_message.apply(args=[row.pk])
    send_message.apply(args=[row.pk])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].message()["Message-ID"] == row.message_id
    row.refresh_from_db()
    assert row.status == "sent"
    assert row.attempts == 1


def test_same_dedup_key_is_written_once(db):
    first = message_enqueue(
        to_address="a@example.test", subject="Nhắc", body_text="x", dedup_key="reminder:1:2"
    )
    second = message_enqueue(
        to_address="a@example.test", subject="Nhắc", body_text="x", dedup_key="reminder:1:2"
    )
    assert first is not None
    assert second is None
    assert OutboxMessage.objects.count() == 1


def test_transient_smtp_error_retries_with_growing_delays_then_fails_and_is_listed(
    db, flaky_smtp, settings, admin_client
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    flaky_smtp.failures = 99
    row = message_enqueue(to_address="a@example.test", subject="Thư lỗi", body_text="x")
    assert row is not None
    delays = []
    outcomes = []
    for _attempt in range(3):
        outcomes.append(message_send(row.pk))
        row.refresh_from_db()
        delays.append(row.next_attempt_at - row.claimed_at)
        # Time passes: the retry falls due.
        OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outcomes == ["retry", "retry", "failed"]
    assert delays[1] > delays[0] > datetime.timedelta(0)
    assert row.status == "failed"
    assert row.attempts == 3
    assert "SMTPServerDisconnected" in row.last_error
    assert mail.outbox == []
    assert AuditEvent.objects.filter(action="outbox.failed", object_id=str(row.pk)).exists()

    page = admin_client.get("/admin/approvals/outboxmessage/?status__exact=failed")
    assert page.status_code == 200
    assert "Thư lỗi" in page.content.decode()


def test_permanent_smtp_error_fails_at_once(db, flaky_smtp):
    flaky_smtp.failures = 1
    flaky_smtp.error = smtplib.SMTPRecipientsRefused({"a@example.test": (550, b"No such user")})
    row = message_enqueue(to_address="a@example.test", subject="Thử", body_text="x")
    assert message_send(row.pk) == "failed"
    row.refresh_from_db()
    assert row.status == "failed"
    assert row.attempts == 1


def test_message_without_address_fails_with_a_vietnamese_reason(db):
    row = message_enqueue(to_address="", subject="Thử", body_text="x")
    # Sent from a thread where an English page was just served: the record keeps the site's
    # language all the same.
    with translation.override("en"):
        assert message_send(row.pk) == "failed"
    row.refresh_from_db()
    assert "Không có địa chỉ" in row.last_error


def test_admin_retry_sends_a_failed_message_again_and_audits_it(
    db, flaky_smtp, admin_client, admin_user, django_capture_on_commit_callbacks
):
    flaky_smtp.failures = 1
    flaky_smtp.error = smtplib.SMTPDataError(554, b"Rejected")
    row = message_enqueue(to_address="a@example.test", subject="Gửi lại tôi", body_text="x")
    assert message_send(row.pk) == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/approvals/outboxmessage/",
            {"action": "retry_failed", "_selected_action": [row.pk]},
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "sent"
    assert [m.subject for m in mail.outbox] == ["Gửi lại tôi"]
    assert AuditEvent.objects.filter(
        action="outbox.retried", object_id=str(row.pk), actor=admin_user
    ).exists()


def test_sweeper_reclaims_a_message_left_sending_by_a_dead_worker(db, settings):
    row = message_enqueue(to_address="a@example.test", subject="Thử", body_text="x")
    # A worker claimed it, then was killed before it could send.
    OutboxMessage.objects.filter(pk=row.pk).update(
        status="sending", claimed_at=timezone.now() - datetime.timedelta(minutes=10), attempts=1
    )
    settings.OUTBOX_SWEEP_GRACE_SECONDS = 0
    assert outbox_sweep() == 1  # eager in tests: the dispatched task sends at once
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].message()["Message-ID"] == row.message_id


def test_sweeper_leaves_a_message_being_sent_alone(db):
    row = message_enqueue(to_address="a@example.test", subject="Thử", body_text="x")
    OutboxMessage.objects.filter(pk=row.pk).update(status="sending", claimed_at=timezone.now())
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(seconds=30)) == 0
    row.refresh_from_db()
    assert row.status == "sending"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_row_at_once_send_one_mail(worker_stopped):
    row = message_enqueue(to_address="a@example.test", subject="Một lần", body_text="x")
    barrier = threading.Barrier(5)
    results: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(message_send(row.pk))
        finally:
            connection.close()

    run_threads([run] * 5, timeout=30)
    assert sorted(results) == ["sent"] + ["skipped"] * 4
    assert [m.subject for m in mail.outbox] == ["Một lần"]
