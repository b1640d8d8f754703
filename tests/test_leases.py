"""The tables workers take row by row (config/leases.py): what is stuck, what a sweep takes back.

Checked on the outbox; the documents' renders declare the same protocol on their own columns
(``Document.render_queue``), and their sweeps are tested in tests/faults/.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from approvals.models import MessageStatus, OutboxMessage

pytestmark = pytest.mark.django_db

NOW = timezone.now()
SECONDS = datetime.timedelta(seconds=1)


def row(name: str, status: str, *, due_ago: int = 0, claimed_ago: int | None = None) -> int:
    message = OutboxMessage.objects.create(
        subject=name,
        body_text=name,
        to_address=f"{name}@example.test",
        status=status,
        next_attempt_at=NOW - due_ago * SECONDS,
        claimed_at=None if claimed_ago is None else NOW - claimed_ago * SECONDS,
    )
    return message.pk


@pytest.fixture
def rows(settings) -> dict[str, int]:
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 120
    settings.OUTBOX_SWEEP_GRACE_SECONDS = 30
    return {
        "failed": row("failed", MessageStatus.FAILED, due_ago=5),
        "just queued": row("just-queued", MessageStatus.PENDING, due_ago=5),
        "overdue": row("overdue", MessageStatus.PENDING, due_ago=600),
        "oldest overdue": row("oldest", MessageStatus.PENDING, due_ago=3600),
        "sending": row("sending", MessageStatus.SENDING, claimed_ago=10),
        "abandoned": row("abandoned", MessageStatus.SENDING, claimed_ago=600),
        "sent": row("sent", MessageStatus.SENT, due_ago=3600),
    }


def test_stuck_is_failed_overdue_or_abandoned_never_what_is_merely_in_flight(rows):
    stuck = set(OutboxMessage.objects.filter(OutboxMessage.queue.stuck(NOW)).values_list("pk"))
    assert stuck == {(rows[k],) for k in ("failed", "overdue", "oldest overdue", "abandoned")}


def test_a_sweep_takes_back_the_abandoned_claim_first_then_the_longest_overdue(rows):
    due = OutboxMessage.queue.sweep(OutboxMessage.objects.all(), NOW, limit=10)

    assert due == [rows["abandoned"], rows["oldest overdue"], rows["overdue"]]
    taken_back = OutboxMessage.objects.get(pk=rows["abandoned"])
    assert taken_back.status == MessageStatus.PENDING  # another worker may claim it now
    assert OutboxMessage.objects.get(pk=rows["sending"]).status == MessageStatus.SENDING


def test_a_sweep_takes_at_most_its_limit_of_each_kind(rows):
    due = OutboxMessage.queue.sweep(OutboxMessage.objects.all(), NOW, limit=1)
    assert due == [rows["abandoned"], rows["oldest overdue"]]


def test_the_lease_and_the_grace_come_from_the_settings(rows, settings):
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 5  # the worker claiming 10 s ago counts as dead
    settings.OUTBOX_SWEEP_GRACE_SECONDS = 1  # the row due 5 s ago is the sweeper's
    stuck = set(OutboxMessage.objects.filter(OutboxMessage.queue.stuck(NOW)).values_list("pk"))
    assert (rows["sending"],) in stuck
    assert (rows["just queued"],) in stuck
