"""Reads of tasks: the inbox, the queue, the archive and a request's open steps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals import permissions
from config.query import filter_given

AnyUser = User | AnonymousUser

#: Read by :mod:`workflow.inbox` from here.

#: Permissions the flows' human steps require (``Node.Permission``), unqualified.
STEP_PERMISSIONS = (
    permissions.APPROVE_AS_UNIT_HEAD,
    permissions.DECIDE_FOR_WARD,
    permissions.REVIEW_FOR_WARD,
    permissions.REVIEW_FOR_DEPARTMENT,
    permissions.DECIDE_FOR_DEPARTMENT,
)


def queue_filter(user: AnyUser, prefix: str = "inbox_entry__") -> Q:
    """Open, unassigned tasks the user may claim through a role in a unit (acting included)."""
    clause = Q(pk__in=[])
    grants = permissions.unit_grants(user, STEP_PERMISSIONS)
    for perm, unit_ids in grants.items():
        if unit_ids:
            clause |= Q(
                **{
                    f"{prefix}owner_permission": f"org.{perm}",
                    f"{prefix}permission_unit_id__in": unit_ids,
                }
            )
    return clause


@dataclass(frozen=True)
class TaskFilters:
    kind: str | None = None
    unit: str | None = None
    step: str | None = None
    overdue: bool | None = None
    q: str | None = None


def task_list_for_user(
    *, user: AnyUser, scope: str = "inbox", filters: TaskFilters | None = None
) -> QuerySet[Task]:
    """``inbox``: assigned to me; ``queue``: I may claim; ``archive``: I completed.

    Ordered by due date then id (keyset-friendly); every filter is on the indexed
    :class:`~workflow.models.InboxEntry`, so the cost does not grow with the number of tasks.
    """
    qs: QuerySet[Task] = Task.objects.select_related("process", "owner", "inbox_entry__unit")
    if not user.is_authenticated:
        return qs.none()
    if scope == "queue":
        qs = qs.filter(
            queue_filter(user), inbox_entry__status=STATUS.NEW, inbox_entry__owner__isnull=True
        )
    elif scope == "archive":
        qs = qs.filter(inbox_entry__owner=user, inbox_entry__status=STATUS.DONE)
    else:
        qs = qs.filter(inbox_entry__owner=user, inbox_entry__status=STATUS.ASSIGNED)
    f = filters or TaskFilters()
    qs = filter_given(
        qs,
        inbox_entry__request_kind=f.kind,
        inbox_entry__unit__code=f.unit,
        inbox_entry__step=f.step,
    )
    if f.overdue is not None:
        today = timezone.localdate()
        qs = (
            qs.filter(inbox_entry__due__lt=today)
            if f.overdue
            else qs.exclude(inbox_entry__due__lt=today)
        )
    if f.q:
        qs = qs.filter(
            Q(inbox_entry__reference__icontains=f.q) | Q(inbox_entry__applicant_name__icontains=f.q)
        )
    return qs.order_by("inbox_entry__due", "inbox_entry__task_id")


@dataclass(frozen=True)
class TaskRow:
    task: Task
    request: Any
    due: datetime.date | None

    @property
    def overdue(self) -> bool:
        return (
            self.due is not None
            and self.task.status in (STATUS.NEW, STATUS.ASSIGNED)
            and self.due < timezone.localdate()
        )


def task_due(task: Task) -> datetime.date | None:
    """The step's due date, fixed when the task was created (see workflow.inbox)."""
    entry = getattr(task, "inbox_entry", None)
    return entry.due if entry is not None else None


def task_rows(tasks: list[Task]) -> list[TaskRow]:
    """Tasks with their requests and due dates, in a constant number of queries."""
    by_type: dict[int, set[int]] = {}
    for task in tasks:
        ct = task.process.artifact_content_type_id
        if ct is not None and task.process.artifact_object_id is not None:
            by_type.setdefault(ct, set()).add(task.process.artifact_object_id)
    requests: dict[tuple[int, int], Model] = {}
    for ct_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        assert model is not None
        for obj in model._default_manager.select_related("unit", "created_by").filter(pk__in=ids):
            requests[(ct_id, obj.pk)] = obj
    return [
        TaskRow(
            task=task,
            request=requests.get(
                (task.process.artifact_content_type_id or 0, task.process.artifact_object_id or 0)
            ),
            due=task_due(task),
        )
        for task in tasks
    ]


def inbox_rows(tasks: list[Task]) -> list[TaskRow]:
    """Rows of the HTML inbox: what they show (reference, kind, unit, applicant, step, due) is
    on each task's inbox entry, copied when the task was created, so no request is read."""
    return [TaskRow(task=task, request=None, due=task_due(task)) for task in tasks]


def tasks_for_request(request: Model, *, open_only: bool = True) -> list[Task]:
    """Every task of every process about this request (main flow and extensions)."""
    qs = Task.objects.select_related("process", "owner", "inbox_entry").filter(
        process__artifact_content_type=ContentType.objects.get_for_model(request),
        process__artifact_object_id=request.pk,
    )
    if open_only:
        qs = qs.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED))
    return list(qs.order_by("pk"))
