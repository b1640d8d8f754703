"""Reminders before a task's due date and escalations after it, once per task and threshold.

Run hourly by Celery beat (:func:`workflow.tasks.send_reminders`, task name
``approvals.tasks.send_reminders``). A reminder goes
``reminder_days_before`` working days before the due date to whoever must act (the owner, else
the holders of the step's role); ``escalation_days_after`` working days after it, they are told
the task is overdue and their superiors are asked to follow it up: the unit's head for steps at
the unit's level (the applicant's steps, the head's own step goes up to the office head), else the
head of the department office. A :class:`DeadlineAlert` row, unique per task and kind, makes
each happen once however often the job runs.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals import permissions
from approvals.audit import audit_record
from approvals.models import AlertKind, DeadlineAlert
from approvals.navigation import display_name
from approvals.notices import (
    in_site_language,
    notify,
    request_path,
    role_holders,
    task_path,
    users_by_ids,
)
from org.calendar import WorkingCalendar, add_working_days, current_calendar
from org.models import Role
from workflow.models import timing_params
from workflow.notify import task_people
from workflow.selectors import task_rows
from workflow.steps import step_title

#: Steps at the level of the requesting unit: their escalation goes to the unit's head.
UNIT_LEVEL_STEPS = frozenset(
    {"review_by_unit_head", "resubmit_by_applicant", "submit_report", "submit_unit_report"}
)


def alert_due(
    today: datetime.date,
    due: datetime.date,
    days_before: int,
    days_after: int,
    calendar: WorkingCalendar,
) -> str | None:
    """Which alert, if any, a task due on ``due`` calls for today."""
    if today > due and today >= add_working_days(due, days_after, calendar):
        return AlertKind.ESCALATION
    if due >= today >= add_working_days(due, -days_before, calendar):
        return AlertKind.REMINDER
    return None


def escalation_recipients(task: Task, request: Any, people: list[User]) -> list[User]:
    """The unit's heads for unit-level steps (unless they are the late ones), else the office
    head of the department (who may also be in the step's queue: they get the escalation)."""
    late = {user.pk for user in people}
    if request is not None and task.flow_task.name in UNIT_LEVEL_STEPS:
        holders = permissions.unit_users_with(permissions.APPROVE_AS_UNIT_HEAD, request.unit)
        heads = [head for head in users_by_ids(holders) if head.pk not in late]
        if heads:
            return heads
    return role_holders(Role.DEPT_OFFICE_HEAD)


def _context(task: Task, request: Any, due: datetime.date) -> dict[str, Any]:
    return {
        "step": step_title(task),
        "reference": str(request),
        "unit_name": request.unit.name,
        "due": due,
        "due_text": due.strftime("%d/%m/%Y"),
    }


@transaction.atomic
@in_site_language
def _alert(task: Task, request: Any, kind: str, due: datetime.date) -> bool:
    try:
        with transaction.atomic():
            alert = DeadlineAlert.objects.create(task_id=task.pk, kind=kind, due=due)
    except IntegrityError:
        return False  # another run got there first
    context = _context(task, request, due)
    people = task_people(task, request)

    def tell(users: list[User], text: str, template: str, url: str = "", **extra: Any) -> list[int]:
        """Notify about this task (its page unless ``url``); each e-mail at most once per
        template and task (``reminder:<task>``, ``overdue:…``, ``escalation:…``)."""
        return notify(
            users=users,
            text=text,
            template=template,
            context={**context, **extra},
            url=url or task_path(task),
            request=request,
            dedup_prefix=f"{template.removeprefix('deadline_')}:{task.pk}",
        )

    if kind == AlertKind.REMINDER:
        text = _("Sắp đến hạn %(due_text)s: %(step)s – hồ sơ %(reference)s") % context
        told = tell(people, text, "deadline_reminder")
    else:
        chiefs = escalation_recipients(task, request, people)
        text = _("Quá hạn %(due_text)s: %(step)s – hồ sơ %(reference)s") % context
        told = tell([user for user in people if user not in chiefs], text, "deadline_overdue")
        text = _("Đề nghị đôn đốc: %(step)s – hồ sơ %(reference)s quá hạn %(due_text)s") % context
        names = [display_name(p) for p in people]
        escalated = tell(chiefs, text, "deadline_escalation", request_path(request), people=names)
        audit_record(
            actor=None,
            action="task.escalated",
            object_type=request.request_kind,
            object_id=request.pk,
            after={"task": task.pk, "step": task.flow_task.name, "due": due, "told": escalated},
        )
        told = told + escalated
    alert.recipients = told
    alert.save(update_fields=["recipients"])
    return True


def deadline_alerts_send(*, today: datetime.date | None = None, batch: int = 500) -> dict[str, int]:
    """Send the reminders and escalations due today; returns how many of each were sent."""

    today = today or timezone.localdate()
    timing = timing_params(today)
    days_before = int(timing["reminder_days_before"])
    days_after = int(timing["escalation_days_after"])
    calendar = current_calendar()
    counts = {AlertKind.REMINDER.value: 0, AlertKind.ESCALATION.value: 0}
    open_tasks = (
        Task.objects.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED), flow_task_type="HUMAN")
        .select_related("process", "owner", "inbox_entry")
        .order_by("pk")
    )
    last = 0
    while tasks := list(open_tasks.filter(pk__gt=last)[:batch]):
        last = tasks[-1].pk
        done = set(
            DeadlineAlert.objects.filter(task_id__in=[t.pk for t in tasks]).values_list(
                "task_id", "kind"
            )
        )
        for row in task_rows(tasks):
            if row.request is None:
                continue
            due = row.due
            if due is None and row.task.flow_task.name == "submit_report":
                due = row.request.report_due  # calendar days after the return (report_days)
            if due is None:
                continue
            kind = alert_due(today, due, days_before, days_after, calendar)
            if kind is None or (row.task.pk, kind) in done:
                continue
            if kind == AlertKind.REMINDER and (row.task.pk, AlertKind.ESCALATION) in done:
                continue
            if _alert(row.task, row.request, kind, due):
                counts[kind] += 1
    return counts
