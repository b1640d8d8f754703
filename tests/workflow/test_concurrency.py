"""Real threads against PostgreSQL: one transition however many people click at once."""

import functools

import pytest

from approvals.models import AuditEvent, Decision
from config.errors import StateConflict
from tests.factories import make_staff
from tests.flows import draft
from tests.threads import at_once
from workflow.services import process_for, request_submit, task_complete


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_completions_make_exactly_one_transition(org, teacher_a, head_a):
    request = draft(teacher_a)
    request_submit(actor=teacher_a.user, request=request)
    task = process_for(request).task_set.get(status="NEW")
    # Ten holders of the unit-head role (acting deputies, say) press "approve" together.
    heads = [head_a.user] + [
        make_staff(f"head_a_{i}", org.school_a, "unit_head").user for i in range(9)
    ]

    def press(user) -> str:
        try:
            task_complete(task_id=task.pk, user=user, action="approve")
        except StateConflict:
            return "409"
        return "ok"

    outcomes = at_once([functools.partial(press, user) for user in heads])

    assert sorted(outcomes) == ["409"] * 9 + ["ok"], outcomes
    assert Decision.objects.filter(task_id=task.pk).count() == 1
    process = process_for(request)
    assert process.task_set.filter(flow_task_type="HUMAN", status="NEW").count() == 1
    assert AuditEvent.objects.filter(action="outbound.review_by_unit_head.approve").count() == 1
