"""Reminders before a step's due date and escalations after it: once per task and threshold."""

from __future__ import annotations

import pytest

from approvals.models import AuditEvent, DeadlineAlert, Notice, OutboxMessage
from org.calendar import add_working_days, current_calendar
from tests.flows import approve_all, open_task, submitted
from workflow.reminders import deadline_alerts_send
from workflow.selectors import task_rows
from workflow.services import task_complete

pytestmark = pytest.mark.django_db

NOTHING = {"reminder": 0, "escalation": 0}


def due_of(request):
    return task_rows([open_task(request)])[0].due


def shift(day, working_days):
    return add_working_days(day, working_days, current_calendar())


def texts(person) -> list[str]:
    return list(
        Notice.objects.filter(user=person.user).order_by("pk").values_list("text", flat=True)
    )


def test_reminder_goes_once_the_working_day_before_the_due_date(org, teacher_a, head_a):
    request = submitted(teacher_a)
    due = due_of(request)
    assert deadline_alerts_send(today=shift(due, -2)) == NOTHING
    assert deadline_alerts_send(today=shift(due, -1)) == {"reminder": 1, "escalation": 0}
    assert deadline_alerts_send(today=shift(due, -1)) == NOTHING
    assert deadline_alerts_send(today=due) == NOTHING
    assert texts(head_a)[-1] == (
        f"Sắp đến hạn {due:%d/%m/%Y}: Thủ trưởng đơn vị cho ý kiến – hồ sơ {request.reference}"
    )
    assert (
        OutboxMessage.objects.filter(
            dedup_key=f"reminder:{open_task(request).pk}:{head_a.user.pk}"
        ).count()
        == 1
    )


def test_overdue_unit_head_step_is_escalated_once_to_the_office_head(
    org, teacher_a, head_a, office_head
):
    request = submitted(teacher_a)
    due = due_of(request)
    late = shift(due, 1)
    assert deadline_alerts_send(today=due) == {"reminder": 1, "escalation": 0}
    assert deadline_alerts_send(today=late) == {"reminder": 0, "escalation": 1}
    assert deadline_alerts_send(today=shift(late, 3)) == NOTHING
    assert texts(head_a)[-1].startswith(f"Quá hạn {due:%d/%m/%Y}: Thủ trưởng đơn vị cho ý kiến")
    assert texts(office_head) == [
        f"Đề nghị đôn đốc: Thủ trưởng đơn vị cho ý kiến – hồ sơ {request.reference} "
        f"quá hạn {due:%d/%m/%Y}"
    ]
    task = open_task(request)
    assert DeadlineAlert.objects.filter(task_id=task.pk).count() == 2
    assert (
        AuditEvent.objects.filter(action="task.escalated", object_id=str(request.pk)).count() == 1
    )


def test_applicant_late_with_a_returned_dossier_is_escalated_to_the_unit_head(
    org, teacher_a, head_a, office_head
):
    request = submitted(teacher_a)
    task_complete(
        task_id=open_task(request).pk, user=head_a.user, action="return", comment="Bổ sung CV"
    )
    due = due_of(request)
    assert deadline_alerts_send(today=shift(due, 1))["escalation"] == 1
    assert texts(teacher_a)[-1].startswith(f"Quá hạn {due:%d/%m/%Y}: Bổ sung hồ sơ và trình lại")
    assert texts(head_a)[-1].startswith("Đề nghị đôn đốc: Bổ sung hồ sơ và trình lại")
    assert not Notice.objects.filter(user=office_head.user).exists()


def test_department_step_escalates_to_the_office_head_not_the_unit_head(
    org, teacher_a, head_a, dept_reviewer, office_head
):
    request = approve_all(submitted(teacher_a), head_a)
    due = due_of(request)
    before = texts(head_a)
    assert deadline_alerts_send(today=shift(due, 1))["escalation"] == 1
    assert texts(head_a) == before
    assert texts(dept_reviewer)[-1].startswith("Quá hạn")
    assert texts(office_head)[-1].startswith("Đề nghị đôn đốc: Văn phòng Sở thẩm định")


def test_completed_task_gets_no_reminder(org, teacher_a, head_a, dept_reviewer):
    request = submitted(teacher_a)
    due = due_of(request)
    approve_all(request, head_a)
    head_notices = texts(head_a)
    deadline_alerts_send(today=shift(due, -1))
    assert texts(head_a) == head_notices
