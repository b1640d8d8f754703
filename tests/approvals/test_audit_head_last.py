"""The chain head is locked last: a transaction's events are chained in one step just before it
commits, gapless and verifiable, and rolled back with the transaction or its savepoint."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from approvals.audit import audit_record, verify_chain
from approvals.models import AuditChainHead, AuditEvent
from tests.approvals.record_helpers import audit_actions
from tests.threads import run_threads

pytestmark = pytest.mark.django_db


def record(action: str, n: int = 0) -> AuditEvent:
    return audit_record(actor=None, action=action, object_type="t", object_id=n)


def test_events_of_a_transaction_are_chained_together_when_it_ends() -> None:
    record("before")
    with transaction.atomic():
        record("one", 1)
        # Written at the end: nothing is in the log, the head has not moved (nor been locked).
        assert audit_actions() == ["before"]
        assert AuditChainHead.objects.get().seq == 1
        record("two", 2)
        record("three", 3)
    assert audit_actions() == ["before", "one", "two", "three"]
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert AuditChainHead.objects.get().seq == 4
    assert verify_chain() is None


def test_a_rolled_back_savepoint_takes_its_events_with_it() -> None:
    with transaction.atomic():
        record("kept", 1)
        try:
            with transaction.atomic():
                record("dropped", 2)
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        record("kept too", 3)
    assert audit_actions() == ["kept", "kept too"]
    assert verify_chain() is None


def test_a_failed_transaction_leaves_no_event_and_no_gap() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        record("lost", 1)
        raise RuntimeError("boom")
    record("next", 2)
    assert audit_actions() == ["next"]
    assert AuditEvent.objects.get().seq == 1
    assert verify_chain() is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_writer_holding_an_open_transaction_does_not_stop_another_from_auditing() -> None:
    """Under the old design the first writer locked the head at its event, and the second waited
    for its commit; now the second commits while the first is still open."""
    first_recorded = threading.Event()
    second_done = threading.Event()
    errors: list[Any] = []

    def first() -> None:
        try:
            with transaction.atomic():
                record("first", 1)
                first_recorded.set()
                # Still inside the transaction: the other writer must get through meanwhile.
                if not second_done.wait(timeout=20):
                    errors.append("the second writer waited for the first one's commit")
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    def second() -> None:
        try:
            first_recorded.wait(timeout=20)
            with transaction.atomic():
                record("second", 2)
            second_done.set()
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    run_threads([first, second], timeout=60)
    assert errors == []
    assert audit_actions() == ["second", "first"]
    assert verify_chain() is None
