import datetime

import pytest
from viewflow.workflow.models import Task

from approvals.models import AgencyNotification, AuditEvent, Decision, RuleStamp
from config.errors import PermissionDenied, StateConflict
from tests.factories import UnitFactory, make_staff
from tests.flows import approve_all, draft, open_task, submitted
from workflow.services import (
    outbound_advance_by_dates,
    outbound_cancel,
    outbound_request_extension,
    process_for,
    report_submit,
    request_submit,
    request_withdraw,
    task_claim,
    task_complete,
)

pytestmark = pytest.mark.django_db


def test_official_trip_of_a_high_school_teacher_goes_head_then_department_then_director(
    org, teacher_a, head_a, dept_reviewer, director
):
    request = draft(teacher_a)
    evaluation = request_submit(actor=teacher_a.user, request=request)
    request.refresh_from_db()
    assert str(evaluation.route) == "DEPT"
    assert request.reference == f"THPT-A/ĐR/{datetime.date.today().year}/0001"
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
    request = submitted(teacher_a)
    task = open_task(request)
    with pytest.raises(PermissionDenied):
        task_complete(task_id=task.pk, user=head_b.user, action="approve")
    with pytest.raises(PermissionDenied):
        task_claim(task_id=task.pk, user=head_b.user)


def test_completed_task_cannot_be_completed_twice(org, teacher_a, head_a):
    request = submitted(teacher_a)
    task = open_task(request)
    task_complete(task_id=task.pk, user=head_a.user, action="approve")
    with pytest.raises(StateConflict):
        task_complete(task_id=task.pk, user=head_a.user, action="approve")
    assert Task.objects.filter(process=task.process, flow_task_type="HUMAN").count() == 2


def test_reviewer_return_goes_to_applicant_and_back_to_the_same_reviewer(
    org, teacher_a, head_a, dept_reviewer, director
):
    other_reviewer = make_staff("reviewer2", org.office, "dept_reviewer")
    request = submitted(teacher_a)
    task_complete(task_id=open_task(request).pk, user=head_a.user, action="approve")
    task = open_task(request)
    task_claim(task_id=task.pk, user=dept_reviewer.user)
    task_complete(
        task_id=task.pk,
        user=dept_reviewer.user,
        action="return",
        comment="Thiếu thư mời",
        fields={"missing_items": ["Thư mời có bản dịch"]},
    )
    request.refresh_from_db()
    assert request.status == "returned"
    resubmit = open_task(request)
    assert resubmit.flow_task.name == "resubmit_by_applicant"
    assert resubmit.owner == teacher_a.user

    request_submit(actor=teacher_a.user, request=request)
    task = open_task(request)
    assert task.flow_task.name == "review_by_department"
    assert task.owner == dept_reviewer.user
    with pytest.raises(StateConflict):
        task_complete(task_id=task.pk, user=other_reviewer.user, action="approve")


def test_trip_life_departure_return_report_returned_once_then_accepted(
    org, teacher_a, head_a, dept_reviewer, director
):
    request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
    request.refresh_from_db()
    # Nobody confirms: the dates on the decision move the trip on by themselves.
    assert outbound_advance_by_dates(today=request.departure_date) == 1
    request.refresh_from_db()
    assert request.status == "travelling"
    assert outbound_advance_by_dates(today=request.return_date + datetime.timedelta(days=1)) == 1
    request.refresh_from_db()
    assert request.status == "returned_home"
    assert request.report_due == request.return_date + datetime.timedelta(days=15)

    report_submit(actor=teacher_a.user, request=request, text="Báo cáo lần 1")
    task = open_task(request)
    assert task.flow_task.name == "review_report"
    task_complete(
        task_id=task.pk, user=dept_reviewer.user, action="return", comment="Bổ sung số liệu"
    )
    report_submit(actor=teacher_a.user, request=request, text="Báo cáo lần 2")
    task_complete(task_id=open_task(request).pk, user=dept_reviewer.user, action="accept")
    request.refresh_from_db()
    assert request.status == "closed"
    assert request.report_text == "Báo cáo lần 2"


def test_withdraw_before_decision_cancels_open_tasks(org, teacher_a, head_a):
    request = submitted(teacher_a)
    request_withdraw(actor=teacher_a.user, request=request, reason="Đổi kế hoạch")
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert not process_for(request).task_set.filter(status__in=["NEW", "ASSIGNED"]).exists()


def test_cancel_after_approval_notifies_agencies(org, teacher_a, head_a, dept_reviewer, director):
    UnitFactory(code="CATP", name="Công an TP", kind="agency")
    UnitFactory(code="SNGV", name="Sở Ngoại vụ", kind="agency")
    request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
    assert AgencyNotification.objects.filter(request_id=request.pk, reason="approval").count() == 2
    outbound_cancel(actor=teacher_a.user, request=request, reason="Đối tác hoãn")
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert (
        AgencyNotification.objects.filter(request_id=request.pk, reason="cancellation").count() == 2
    )


def test_extension_goes_to_the_director_and_moves_the_return_date(
    org, teacher_a, head_a, dept_reviewer, director
):
    request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
    request.refresh_from_db()
    new_date = request.return_date + datetime.timedelta(days=3)
    process = outbound_request_extension(
        actor=teacher_a.user, request=request, new_return_date=new_date, reason="Hội thảo kéo dài"
    )
    task = process.task_set.get(status="NEW")
    assert task.flow_task.name == "decide_extension_by_director"
    task_complete(task_id=task.pk, user=director.user, action="approve")
    request.refresh_from_db()
    assert request.return_date == new_date
