"""Inbound services and flow: routes, skipped steps, agency due dates, the visit's own rules."""

import datetime

import pytest

from approvals.models import AgencyNotification, AuditEvent
from config.errors import PermissionDenied, RulesBlocked, StateConflict, ValidationError
from delegations.models import OutboundRequest
from delegations.services.decisions import notification_due
from delegations.services.inbound import inbound_create, inbound_update
from delegations.services.visits import inbound_amend
from org.calendar import add_working_days
from tests.delegations.inbound_helpers import exam_day, far_arrival, visit_input
from tests.flows import approve_all, draft_visit, open_task, submit, submitted
from workflow.models import RuleSetVersion
from workflow.services import (
    inbound_advance_by_dates,
    inbound_cancel,
    inbound_confirm_residence,
    request_submit,
)

pytestmark = pytest.mark.django_db


def test_head_filing_a_visit_skips_the_unit_head_step(org, head_a):
    visit = inbound_create(actor=head_a.user, data=visit_input())
    request_submit(actor=head_a.user, request=visit)
    assert open_task(visit).flow_task.name == "review_by_department"


def test_sponsored_visit_to_a_ward_school_is_decided_by_the_department(
    org, ward_teacher, ward_head
):
    data = visit_input(sponsor="Công ty TNHH Giáo dục ABC", enterprise_involved=True)
    visit = inbound_create(actor=ward_teacher.user, data=data)
    evaluation = request_submit(actor=ward_teacher.user, request=visit)
    assert str(evaluation.route) == "DEPT"


def test_minister_level_guest_goes_to_the_city(org, clerk_a):
    visit = inbound_create(actor=clerk_a.user, data=visit_input(senior_guest_level="minister"))
    assert str(request_submit(actor=clerk_a.user, request=visit).route) == "CITY"


def test_agency_notice_is_due_notify_days_working_days_before_arrival_but_never_in_the_past():
    arrival = datetime.date(2027, 3, 15)  # a Monday
    assert notification_due(arrival, today=datetime.date(2027, 1, 4)) == datetime.date(2027, 3, 9)
    assert notification_due(arrival, today=datetime.date(2027, 3, 12)) == datetime.date(2027, 3, 12)


def test_notify_days_comes_from_the_rule_set_in_force(org):
    RuleSetVersion.objects.create(
        effective_from=datetime.date.today(), params={"timing": {"notify_days": 10}}
    )
    arrival = far_arrival()
    assert notification_due(arrival) == add_working_days(arrival, -10)


def test_late_approval_needs_a_written_justification(org, clerk_a):
    visit = inbound_create(actor=clerk_a.user, data=visit_input(arrival=far_arrival(8)))
    with pytest.raises(RulesBlocked) as blocked:
        request_submit(actor=clerk_a.user, request=visit)
    assert [c["rule"] for c in blocked.value.checks] == ["IN-NOTIFY-LEAD"]
    request_submit(
        actor=clerk_a.user, request=visit,
        justifications={"IN-NOTIFY-LEAD": "Đoàn chỉ xác nhận lịch vào tuần trước"},
    )  # fmt: skip
    visit.refresh_from_db()
    assert visit.status == "submitted"


def test_staff_of_another_school_cannot_file_or_edit_a_visit(org, clerk_a, head_b):
    visit = inbound_create(actor=clerk_a.user, data=visit_input())
    with pytest.raises(PermissionDenied):
        inbound_update(actor=head_b.user, visit=visit, data=visit_input(purpose="Khác"))
    with pytest.raises(PermissionDenied):
        inbound_create(actor=head_b.user, data=visit_input(), unit=org.school_a)


def test_residence_not_declared_by_arrival_stays_on_the_record(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    visit = draft_visit(clerk_a)
    submit(visit, clerk_a)
    approve_all(visit, head_a, dept_reviewer, director)
    assert open_task(visit).flow_task.name == "await_residence_declaration"
    assert inbound_advance_by_dates(today=visit.arrival_date) == 1
    visit.refresh_from_db()
    assert visit.status == "visiting" and visit.actual_arrival == visit.arrival_date
    assert open_task(visit).flow_task.name == "await_departure"
    assert AuditEvent.objects.filter(
        object_id=str(visit.pk), action="inbound.residence_not_declared"
    ).exists()
    # Declared late: recorded as after the arrival.
    inbound_confirm_residence(actor=clerk_a.user, visit=visit)
    event = AuditEvent.objects.get(object_id=str(visit.pk), action="inbound.residence_declared")
    assert event.after["after_arrival"] is True


def test_during_the_visit_the_arrival_date_cannot_be_amended(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    visit = draft_visit(clerk_a)
    submit(visit, clerk_a)
    approve_all(visit, head_a, dept_reviewer, director)
    inbound_advance_by_dates(today=visit.arrival_date)
    with pytest.raises(ValidationError) as error:
        inbound_amend(
            actor=clerk_a.user, visit=visit, reason="Đổi lịch",
            arrival_date=visit.arrival_date + datetime.timedelta(days=1),
        )  # fmt: skip
    assert "arrival_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        inbound_amend(actor=clerk_a.user, visit=visit, reason="Không đổi gì")


def test_amending_the_dates_before_arrival_into_an_exam_day_is_refused(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    visit = draft_visit(clerk_a)
    submit(visit, clerk_a)
    approve_all(visit, head_a, dept_reviewer, director)
    exam = visit.departure_date + datetime.timedelta(days=2)
    exam_day(exam, "Kỳ thi học kỳ")
    with pytest.raises(RulesBlocked) as blocked:
        inbound_amend(actor=clerk_a.user, visit=visit, reason="Kéo dài", departure_date=exam)
    assert blocked.value.checks[0]["rule"] == "IN-BLACKOUT"
    visit.refresh_from_db()
    assert visit.departure_date < exam
    assert not AgencyNotification.objects.filter(request_id=visit.pk, reason="amendment").exists()


def test_a_draft_cannot_be_amended_or_cancelled(org, clerk_a):
    visit = inbound_create(actor=clerk_a.user, data=visit_input())
    with pytest.raises(StateConflict):
        inbound_amend(actor=clerk_a.user, visit=visit, reason="x", departure_date=far_arrival(45))
    with pytest.raises(StateConflict):
        inbound_cancel(actor=clerk_a.user, visit=visit, reason="x")


def test_references_of_visits_are_counted_apart_from_outbound_requests(org, clerk_a, teacher_a):
    submitted(teacher_a)
    visit = draft_visit(clerk_a)
    submit(visit, clerk_a)
    year = datetime.date.today().year
    assert visit.reference == f"THPT-A/ĐV/{year}/0001"
    assert OutboundRequest.objects.get().reference == f"THPT-A/ĐR/{year}/0001"
