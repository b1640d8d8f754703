"""End to end on PostgreSQL, Redis and a real Celery worker: agency e-mails reach an SMTP server.

Runs only under ``make test-services``. The test starts a tiny SMTP sink of its own and a
``celery worker`` subprocess pointed at it, approves a request while the worker is still down,
and checks that both agencies' e-mails arrive once the worker runs, each with its row's
Message-ID.
"""

from __future__ import annotations

import time

import pytest

from approvals.models import AgencyNotification, OutboxMessage
from config import celery_app
from tests.flows import approve_all, submitted
from tests.workers import start_worker, stop


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_approvals_agency_emails_reach_smtp_through_a_real_worker(
    org, agencies, teacher_a, head_a, dept_reviewer, director, smtp_sink
):
    conf = celery_app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False  # publish to Redis: only the worker sends
    celery_app.control.purge()
    worker = None
    try:
        request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
        approved_at = time.monotonic()
        rows = OutboxMessage.objects.filter(notification__request_id=request.pk)
        assert sorted(rows.values_list("status", flat=True)) == ["pending", "pending"]

        worker = start_worker(smtp_sink)
        wanted = {"pa08@ca.test", "songv@sngv.test"}
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            got = {to for recipients, _m in smtp_sink.received for to in recipients}
            if wanted <= got and not rows.exclude(status="sent").exists():
                break
            assert worker.poll() is None, worker.stdout.read().decode() if worker.stdout else ""
            time.sleep(0.2)
        lag = time.monotonic() - approved_at
        agency_mail = [
            (recipients, message)
            for recipients, message in smtp_sink.received
            if set(recipients) & wanted
        ]
        assert sorted(r for recipients, _m in agency_mail for r in recipients) == sorted(wanted)
        ids = {message["Message-ID"] for _r, message in agency_mail}
        assert ids == set(rows.values_list("message_id", flat=True))
        body = agency_mail[0][1].get_body(preferencelist=("plain",)).get_content()
        assert request.reference in body
        assert "/xac-nhan/" in body
        assert set(rows.values_list("status", flat=True)) == {"sent"}
        assert set(
            AgencyNotification.objects.filter(request_id=request.pk).values_list(
                "status", flat=True
            )
        ) == {"delivered"}
        print(f"approval → agency mail in the SMTP sink (worker started after): {lag:.1f} s")
    finally:
        conf.task_always_eager = eager
        stop([worker] if worker is not None else [])
