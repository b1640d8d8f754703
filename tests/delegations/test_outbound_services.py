import pytest
from viewflow.workflow.models import Task

from approvals.models import AgencyNotification, AuditEvent, Decision, RuleStamp
from delegations.services.errors import PermissionDenied, StateConflict
from delegations.services.outbound_flow import outbound_submit
from workflow.services import process_for, task_claim, task_complete
from tests.delegations.outbound_helpers import draft

pytestmark = pytest.mark.django_db


def open_task(request):
    process = process_for(request)
    return process.task_set.filter(status__in=["NEW", "ASSIGNED"]).get()


def test_official_trip_of_a_high_school_teacher_goes_head_then_department_then_director(
    org, teacher_a, head_a, dept_reviewer, director
):
    request = draft(teacher_a)
    evaluation = outbound_submit(actor=teacher_a.user, request=request)
    request.refresh_from_db()
    assert str(evaluation.route) == "DEPT"
    assert request.reference.endswith("/0001")
    assert request.status == "submitted"

    task = open_task(request)
    assert task.flow_task.name == "review_by_unit_head"
    task_complete(task_id=task.pk, user=head_a.user, action="approve")

    task = open_task(request)
    assert task.flow_task.name == "review_by_department"
    task_complete(task_id=task.pk, user=dept_reviewer.user, action="approve")

    task = open_task(request)
    assert task.flow_task.name == "decide_by_director"
    task_complete(task_id=task.pk, user=director.user, action="approve")

    request.refresh_from_db()
    assert request.status == "approved"
    assert open_task(request).flow_task.name == "await_departure"
    assert Decision.objects.filter(request_id=request.pk).count() == 3
    assert RuleStamp.objects.filter(request_id=request.pk).count() == 4
    assert AuditEvent.objects.filter(object_id=str(request.pk), action="outbound.approved").exists()


def test_head_of_other_school_cannot_take_the_unit_head_step(org, teacher_a, head_b):
    request = draft(teacher_a)
    outbound_submit(actor=teacher_a.user, request=request)
    task = open_task(request)
    with pytest.raises(PermissionDenied):
        task_complete(task_id=task.pk, user=head_b.user, action="approve")
    with pytest.raises(PermissionDenied):
        task_claim(task_id=task.pk, user=head_b.user)


def test_completed_task_cannot_be_completed_twice(org, teacher_a, head_a):
    request = draft(teacher_a)
    outbound_submit(actor=teacher_a.user, request=request)
    task = open_task(request)
    task_complete(task_id=task.pk, user=head_a.user, action="approve")
    with pytest.raises(StateConflict):
        task_complete(task_id=task.pk, user=head_a.user, action="approve")
    assert Task.objects.filter(process=task.process, flow_task_type="HUMAN").count() == 2
