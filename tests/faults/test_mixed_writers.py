"""Drafts created while approvals run in the same school: no deadlock, no error (PostgreSQL).

An approval locks its request (never the school's unit row: ``request_lock`` locks ``of=self``),
then its process, then the audit chain's head; a draft's foreign-key check on the unit row no
longer waits behind an approval that waits for the head the draft holds.
"""

from __future__ import annotations

from typing import Any

import pytest

from approvals.models import Decision
from delegations.models import OutboundRequest
from tests.factories import PersonFactory
from tests.flows import draft, open_task, submitted
from tests.threads import at_once
from workflow.services import task_complete

ROUNDS = 4  # per thread: bounded to a few seconds on a shared machine


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_drafts_and_approvals_in_one_school_at_once_all_succeed(org, teacher_a, clerk_a, head_a):
    writers = 4
    # One traveller per request: the rule pack refuses overlapping trips of one person.
    waiting = [
        [submitted(teacher_a, PersonFactory(unit=org.school_a)) for _ in range(ROUNDS)]
        for _ in range(writers)
    ]
    tasks = [[open_task(request).pk for request in batch] for batch in waiting]
    drafts_before = OutboundRequest.objects.count()

    def approve(task_ids: list[int]) -> Any:
        def run() -> str:
            for task_id in task_ids:
                task_complete(task_id=task_id, user=head_a.user, action="approve")
            return "ok"

        return run

    def create(applicant: Any) -> Any:
        def run() -> str:
            for _ in range(ROUNDS):
                draft(applicant, PersonFactory(unit=org.school_a))
            return "ok"

        return run

    calls = [approve(ids) for ids in tasks]
    calls += [create(teacher_a), create(clerk_a), create(teacher_a), create(clerk_a)]
    results = at_once(calls, timeout=30)

    assert results == ["ok"] * len(calls)
    assert (
        Decision.objects.filter(task_id__in=[t for batch in tasks for t in batch]).count()
        == writers * ROUNDS
    )
    assert OutboundRequest.objects.count() == drafts_before + 4 * ROUNDS
