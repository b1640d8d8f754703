"""A worker killed mid-send: the mail goes out within the documented time, once.

``docs/notifications.md``: a row left "sending" is reclaimed by the first sweep after
``OUTBOX_CLAIM_TIMEOUT_SECONDS`` (120 s) and sent in that same sweep; a task the broker
redelivers may take it over even before. Default settings here (grace 30 s, timeout 120 s).
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from approvals.models import OutboxMessage
from approvals.outbox import message_enqueue, message_send, outbox_sweep, send_message

pytestmark = pytest.mark.django_db


def _left_sending(seconds_ago: int) -> OutboxMessage:
    """A row a worker claimed ``seconds_ago`` and then died with (``kill -9``)."""
    row = message_enqueue(to_address="pa08@ca.test", subject="Thông báo", body_text="x")
    assert row is not None
    claimed = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    OutboxMessage.objects.filter(pk=row.pk).update(status="sending", claimed_at=claimed, attempts=1)
    return row


def test_one_sweep_after_the_claim_timeout_reclaims_and_sends():
    row = _left_sending(seconds_ago=121)
    assert outbox_sweep() == 1  # eager in tests: the dispatched task sends at once
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2
    assert [m.message()["Message-ID"] for m in mail.outbox] == [row.message_id]


def test_sweep_before_the_claim_timeout_leaves_the_worker_alone():
    row = _left_sending(seconds_ago=100)
    assert outbox_sweep() == 0
    row.refresh_from_db()
    assert row.status == "sending" and mail.outbox == []


def test_redelivered_task_takes_over_a_row_stuck_sending_past_its_lease():
    stuck = _left_sending(seconds_ago=180)
    busy = _left_sending(seconds_ago=5)
    assert send_message.apply(args=[stuck.pk]).get() == "sent"
    assert message_send(busy.pk) == "skipped"  # a live worker's claim is respected
    assert len(mail.outbox) == 1
    busy.refresh_from_db()
    assert busy.status == "sending"
