import datetime

import pytest
from django.utils import timezone

from approvals import permissions
from approvals.models import AuditEvent, Decision
from tests.factories import UserFactory, make_acting
from tests.flows import open_task, submitted
from workflow.services import task_claim, task_complete, tasks_release_lost_roles

pytestmark = pytest.mark.django_db


def _deputy_acting_today_and_a_submitted_request(org, teacher_a, head_a):
    """A deputy acting as school A's head for today only, and the unit-head step of a request."""
    deputy = UserFactory(username="deputy_a")
    make_acting(deputy, head_a.user, org.school_a)
    task = open_task(submitted(teacher_a))
    assert task.flow_task.name == "review_by_unit_head"
    return deputy, task


def test_task_claimed_by_an_acting_head_returns_to_the_queue_when_acting_ends(
    org, teacher_a, head_a
):
    deputy, task = _deputy_acting_today_and_a_submitted_request(org, teacher_a, head_a)
    task_claim(task_id=task.pk, user=deputy)

    # Still acting today: nothing moves.
    assert tasks_release_lost_roles() == 0
    # The nightly sync after the last day takes the role away; the claimed task goes back.
    permissions.sync_all_unit_permissions(on=timezone.localdate() + datetime.timedelta(days=1))
    assert tasks_release_lost_roles() == 1
    task.refresh_from_db()
    assert task.status == "NEW" and task.owner is None
    # The head (the holder of the role) can now take it.
    task_complete(task_id=task.pk, user=head_a.user, action="approve")


def test_decision_by_an_acting_holder_records_acting_for(org, teacher_a, head_a):
    deputy, task = _deputy_acting_today_and_a_submitted_request(org, teacher_a, head_a)
    task_complete(task_id=task.pk, user=deputy, action="approve")
    decision = Decision.objects.get(task_id=task.pk)
    assert decision.actor == deputy and decision.acting_for == head_a.user
    event = AuditEvent.objects.get(action="outbound.review_by_unit_head.approve")
    assert event.acting_for == "head_a"
