import datetime

import pytest
from django.utils import timezone

from approvals import permissions
from org.models import ActingAssignment, Role
from tests.delegations.outbound_helpers import draft
from tests.factories import UserFactory
from workflow.services import (
    outbound_submit,
    process_for,
    task_claim,
    task_complete,
    tasks_release_lost_roles,
)

pytestmark = pytest.mark.django_db


def test_task_claimed_by_an_acting_head_returns_to_the_queue_when_acting_ends(
    org, teacher_a, head_a
):
    deputy = UserFactory(username="deputy_a")
    today = timezone.localdate()
    ActingAssignment.objects.create(
        acting_user=deputy,
        holder=head_a.user,
        role=Role.UNIT_HEAD,
        unit=org.school_a,
        starts_on=today,
        ends_on=today,
    )
    request = draft(teacher_a)
    outbound_submit(actor=teacher_a.user, request=request)
    task = process_for(request).task_set.get(status="NEW", flow_task_type="HUMAN")
    task_claim(task_id=task.pk, user=deputy)

    # Still acting today: nothing moves.
    assert tasks_release_lost_roles() == 0
    # The nightly sync after the last day takes the role away; the claimed task goes back.
    permissions.sync_all_unit_permissions(on=today + datetime.timedelta(days=1))
    assert tasks_release_lost_roles() == 1
    task.refresh_from_db()
    assert task.status == "NEW" and task.owner is None
    # The head (the holder of the role) can now take it.
    task_complete(task_id=task.pk, user=head_a.user, action="approve")


def test_decision_by_an_acting_holder_records_acting_for(org, teacher_a, head_a):
    from approvals.models import AuditEvent, Decision

    deputy = UserFactory(username="deputy_a")
    today = timezone.localdate()
    ActingAssignment.objects.create(
        acting_user=deputy,
        holder=head_a.user,
        role=Role.UNIT_HEAD,
        unit=org.school_a,
        starts_on=today,
        ends_on=today,
    )
    request = draft(teacher_a)
    outbound_submit(actor=teacher_a.user, request=request)
    task = process_for(request).task_set.get(status="NEW", flow_task_type="HUMAN")
    task_complete(task_id=task.pk, user=deputy, action="approve")
    decision = Decision.objects.get(task_id=task.pk)
    assert decision.actor == deputy and decision.acting_for == head_a.user
    event = AuditEvent.objects.get(action="outbound.review_by_unit_head.approve")
    assert event.acting_for == "head_a"
