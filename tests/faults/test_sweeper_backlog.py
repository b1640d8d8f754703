"""After an outage the sweepers queue each waiting row once, not once per pass.

A sweeper runs every minute and finds the same rows pending until a worker takes them. Run on a
real (in-process) kombu broker, ``memory://``: a second pass adds nothing to the queue, a publish
that failed holds no lease, and a worker taking the task lets the next pass queue it again. (A
fault run found the queue at 15,000 messages for 1,300 e-mails, and a worker too busy with them
to render or beat its heart.)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from approvals.documents.services import render_sweep
from approvals.models import Document, OutboxMessage
from approvals.outbox import message_enqueue, outbox_sweep, send_message, sweeper_lease_end
from config import celery_app
from tests.approvals.record_helpers import approved, make_agencies
from tests.faults.conftest import _reset_pools

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(minutes=2)


@pytest.fixture
def memory_broker(fresh_cache: None) -> Iterator[Any]:
    """Celery not eager, on kombu's in-process broker; yields a function counting a queue."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager = False
    conf.broker_url = "memory://"
    _reset_pools()

    def queued(name: str) -> int:
        with celery_app.connection_for_write() as connection:
            count: int = connection.SimpleQueue(name).qsize()
        return count

    with celery_app.connection_for_write() as connection:
        for name in ("mail", "documents"):
            connection.SimpleQueue(name).clear()
    try:
        yield queued
    finally:
        conf.task_always_eager, conf.broker_url = saved
        _reset_pools()


def _waiting_mail(count: int) -> list[int]:
    rows = [
        message_enqueue(to_address=f"pa{i:02}@ca.test", subject="Thông báo", body_text="x")
        for i in range(count)
    ]
    ids = [row.pk for row in rows if row is not None]
    OutboxMessage.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now() - LATER)
    return ids


def test_a_second_sweep_does_not_queue_the_same_mail_again(memory_broker):
    _waiting_mail(3)
    assert outbox_sweep() == 3
    assert outbox_sweep() == 0
    assert outbox_sweep() == 0
    assert memory_broker("mail") == 3


def test_a_mail_a_worker_took_may_be_queued_again(memory_broker):
    [first, second] = _waiting_mail(2)
    assert outbox_sweep() == 2
    # A worker takes the first from the queue and dies before claiming it (kill -9).
    with celery_app.connection_for_write() as connection:
        connection.SimpleQueue("mail").get(timeout=1).ack()
    sweeper_lease_end(send_message, first)  # what the task does first
    assert outbox_sweep() == 1  # the first again, not the second still in the queue
    assert OutboxMessage.objects.get(pk=second).status == "pending"


def test_a_publish_that_failed_holds_no_lease(memory_broker, broker_unreachable):
    _waiting_mail(2)
    assert outbox_sweep() == 0  # Redis down: nothing queued, nothing marked
    assert OutboxMessage.objects.filter(status="pending").count() == 2


def test_the_render_sweep_queues_each_document_once(memory_broker, org, teacher_a, head_a,
                                                     dept_reviewer, director):  # fmt: skip
    make_agencies()
    approved(teacher_a, head_a, dept_reviewer, director)
    pending = Document.objects.filter(render_state="pending").count()
    assert pending >= 2
    assert render_sweep(now=timezone.now() + LATER) == pending
    assert render_sweep(now=timezone.now() + LATER) == 0
    assert memory_broker("documents") == pending
