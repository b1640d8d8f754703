"""Keeping :class:`workflow.models.InboxEntry` in step with viewflow's human tasks (called by the
``post_save`` receiver in :mod:`workflow.signals`) and the due date of each step."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone
from viewflow.workflow.models import Task

from config.query import loaded_with
from config.values import plain_int
from org.calendar import add_working_days, current_calendar
from workflow.models import InboxEntry, timing_params
from workflow.steps import STEP_BUDGET_PARAM

#: Steps without a budget of their own (the applicant completing a returned dossier) get this one.
DEFAULT_BUDGET_PARAM = "dept_review_days"


def step_due(step: str, created: datetime.datetime, request: Any = None) -> datetime.date:
    """The due date of a step created at ``created``: its budget in working days.

    The post-trip report is due on the request's own report date. Every task has a due date, so
    the inbox can be ordered by it through an index.
    """
    day = timezone.localtime(created).date()
    report_due: datetime.date | None = getattr(request, "report_due", None)
    if step == "submit_report" and report_due:
        return report_due
    due_on: datetime.date | None = getattr(request, "due_on", None)
    if step == "submit_unit_report" and due_on:
        return due_on  # a reporting round's deadline
    timing = timing_params(day)
    param = STEP_BUDGET_PARAM.get(step, DEFAULT_BUDGET_PARAM)
    return add_working_days(day, timing[param], current_calendar())


def applicant_read_with(request: Any) -> User | None:
    """The applicant when the request was read with them and their person (``request_lock``
    joins both), else None: the caller reads them itself."""
    if not loaded_with(request, "created_by"):
        return None
    user: User | None = request.created_by
    if user is None or not loaded_with(user, "person"):
        return None
    return user


def _applicant_name(request: Any) -> str:
    """The applicant's full name, else their user name (no query when read with the request)."""
    user = applicant_read_with(request)
    if user is not None:
        person = getattr(user, "person", None)  # read with the user: None when they have none
        return str((person.full_name if person else "") or user.username)
    row = (
        get_user_model()
        .objects.filter(pk=request.created_by_id)
        .values_list("person__full_name", "username")
        .first()
    )
    if row is None:
        return ""
    full_name, username = row
    return str(full_name or username)


def inbox_entry_sync(instance: Task, *, created: bool = False) -> None:
    """Create the entry with the task, then copy status and owner on every later save.

    ``created``: the task was created since the last sync, so it has no entry yet.
    """
    if instance.flow_task_type != "HUMAN":
        return
    updated = (
        0
        if created
        else InboxEntry.objects.filter(task=instance).update(
            status=instance.status,
            owner=instance.owner_id,
            owner_permission=instance.owner_permission or "",
            permission_unit_id=_unit_pk(instance),
            finished=instance.finished,
        )
    )
    if updated:
        return
    request = instance.process.artifact
    if request is None:
        return
    step = instance.flow_task.name
    InboxEntry.objects.create(
        task=instance,
        status=instance.status,
        owner_id=instance.owner_id,
        owner_permission=instance.owner_permission or "",
        permission_unit_id=_unit_pk(instance),
        step=step,
        request_kind=request.request_kind,
        request_id=request.pk,
        reference=request.reference or "",
        unit_id=request.unit_id,
        applicant_name=_applicant_name(request),
        due=step_due(step, instance.created, request),
        created=instance.created,
        finished=instance.finished,
    )


def _unit_pk(task: Task) -> int | None:
    pk = task.owner_permission_obj_pk
    return plain_int(pk) if pk else None
