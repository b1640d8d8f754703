"""Driving the flows: start, claim, release, complete, cancel; all under the process lock.

Everything here runs inside the flow's lock (``SELECT … FOR UPDATE`` of the process row on
PostgreSQL: ``flow_class.lock(process_pk)``, or, for a decision, :func:`task_locked`) so two
people acting on the same task at once produce one transition; the loser gets
:class:`StateConflict` (HTTP 409). Slow I/O never happens here: side effects are rows
(outbox, notifications) sent after commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from viewflow.workflow import lock
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from approvals.audit import audit_record
from approvals.permissions import acting_holder_for, holds_step_permission, unit_grants
from config.errors import BUSY, PermissionDenied, StateConflict, ValidationError
from config.memo import memo_scope, memoized
from delegations.facts import request_parties
from delegations.kinds import artifact_for_user, artifact_ids_for_user
from delegations.services.common import request_held, request_lock
from workflow.flows.common import (
    DECISION,
    RETURN,
    RETURNED_BY,
    RETURNED_FROM,
    REVIEWER,
    request_of,
)
from workflow.flows.registry import DECISION_HANDLERS, main_flow_for
from workflow.models import InboxEntry
from workflow.selectors import STEP_PERMISSIONS
from workflow.signals import task_effects_coalesced
from workflow.steps import StepDecision, step_for

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED)


@contextmanager
def process_lock(flow_class: Any, process_pk: int) -> Iterator[None]:
    """The flow's lock; a lock that cannot be had in time is a 409, never a 500.

    Inside it the side effects of task saves are coalesced (:mod:`workflow.signals`): each
    task touched gets one inbox write, and each new task one notice, once the flow settled.
    """
    try:
        with flow_class.lock(process_pk), task_effects_coalesced():
            yield
    except FlowLockFailed as exc:
        raise StateConflict(str(BUSY)) from exc


@contextmanager
def _locked_by_the_first_read(flow_class: Any, process_pk: int) -> Iterator[None]:
    """The flow's lock taken by the block's own first query (:func:`task_locked`)."""
    yield


@contextmanager
def task_locked(flow_class: Any, task_id: int, process_pk: int) -> Iterator[Task]:
    """The task read under its flow's lock, with its process and inbox entry, in one query.

    The lock is :func:`process_lock`'s (the process row, ``SELECT … FOR UPDATE OF`` it), taken
    by the read of the task rather than by a savepoint and a query of its own, with the same
    coalesced side effects and viewflow's deferred callbacks (``lock_scope``). It waits for the
    row instead of failing at once (at most ``DATABASE_LOCK_TIMEOUT_MS``, then 409, as every
    lock wait): only a caller that already holds the request's row lock uses it
    (:func:`task_complete`), and whoever holds a process without its request (a claim, a
    release) never waits for the request (docs/production.md, "Row locks").
    """
    scope = lock.lock_scope(_locked_by_the_first_read, flow_class, process_pk)
    with scope, task_effects_coalesced():
        yield (
            Task.objects.select_related("process", "inbox_entry")
            .select_for_update(of=("process",))
            .get(pk=task_id)
        )


def process_for(request: Model) -> Process | None:
    """The main flow process of a request (its artifact), if it was submitted."""
    flow_class = main_flow_for(request)
    return (
        Process.objects.filter(
            flow_class=flow_class,
            artifact_content_type=ContentType.objects.get_for_model(request),
            artifact_object_id=request.pk,
        )
        .order_by("-pk")
        .first()
    )


def open_tasks(process: Process) -> list[Task]:
    return list(process.task_set.filter(status__in=OPEN_STATUSES).order_by("pk"))


def flow_start(flow_class: Any, request: Model) -> Process:
    """Start the flow for a submitted request (inside the caller's transaction)."""
    process: Process = flow_class.start.run(request=request)
    return process


def flow_cancel(process: Process) -> None:
    """Cancel every open task of the process (withdrawal, cancellation)."""
    flow_class = process.flow_class
    flow_class.instance.cancel(process)


def handle_complete(process: Process, node_name: str) -> bool:
    """Complete an open ``Handle`` node (departure, return); False when it is not open.

    The caller holds the process lock (see :func:`request_handle_complete`).
    """
    task = (
        process.task_set.filter(flow_task=getattr(process.flow_class, node_name), status=STATUS.NEW)
        .order_by("pk")
        .first()
    )
    if task is None:
        return False
    activation = task.flow_task.activation_class(task)
    activation.run(None)
    activation.execute()
    return True


def request_handle_complete(request: Model, node_name: str) -> bool:
    """Complete the ``Handle`` node of the request's main flow under its lock.

    False when the request has no process or the node is not open (a date-driven move may have
    completed it already).
    """
    process = process_for(request)
    if process is None:
        return False
    with process_lock(process.flow_class, process.pk):
        return handle_complete(process, node_name)


def request_flow_cancel(request: Model) -> None:
    """Cancel the open tasks of the request's main flow, if it was submitted."""
    process = process_for(request)
    if process is not None:
        flow_cancel(process)


def request_task_complete(
    *,
    request: Model,
    node_name: str,
    user: User,
    missing: str,
    fields: dict[str, Any] | None = None,
    as_owner: bool = False,
) -> Task:
    """Submit the applicant's open step ``node_name`` of the request's main flow.

    ``as_owner``: the step is completed in the name of its owner (the applicant), whoever
    resubmits. :class:`StateConflict` with the message ``missing`` when the step is not open.
    """
    process = process_for(request)
    task = (
        next((t for t in open_tasks(process) if t.flow_task.name == node_name), None)
        if process
        else None
    )
    if task is None:
        raise StateConflict(missing)
    by = (task.owner or user) if as_owner else user
    return task_complete(task_id=task.pk, user=by, action="submit", fields=fields)


@dataclass(frozen=True)
class Actor:
    """Who completes a task, and for whom when acting."""

    user: User
    acting_for: User | None = None


def may_take(task: Task, user: User) -> bool:
    """Whether the user may claim or complete the task.

    A step with a permission is taken only through a role or acting assignment granting it on
    the step's unit today (:func:`approvals.permissions.holds_step_permission`), also by the
    user it was assigned to: someone who changed post keeps no decision. Superusers, staff and
    administrators get nothing here (Django's ``has_perm`` would say yes to a superuser). A
    step without a permission (the applicant's) belongs to its owner only.
    """
    if task.owner_id is not None and task.owner_id != user.pk:
        return False
    if not task.owner_permission:
        return bool(task.owner_id is not None and task.owner_id == user.pk)
    return holds_step_permission(user, task.owner_permission, task.owner_permission_obj_pk)


def acting_for(task: Task, user: User) -> User | None:
    """The holder the user acts for, when their right to the task comes from acting only."""
    if not task.owner_permission:
        return None
    return acting_holder_for(user, task.owner_permission, task.owner_permission_obj_pk)


def _guard(task: Task, user: User, request: Model | None = None) -> None:
    if task.status not in OPEN_STATUSES:
        raise StateConflict(_("Công việc này đã được xử lý."))
    if task.owner_id is not None and task.owner_id != user.pk:
        raise StateConflict(_("Công việc này đang do người khác đảm nhận."))
    if not may_take(task, user):
        raise PermissionDenied(_("Bạn không có thẩm quyền xử lý công việc này."))
    request = request if request is not None else request_of(task.process)
    step = step_for(task.flow_task.name)
    if step is not None and step.is_decision and is_party_to(request, user, deciding=True):
        raise PermissionDenied(
            _("Bạn không được quyết định đối với hồ sơ mà mình đề nghị hoặc là thành viên.")
        )


def is_party_to(request: Model, user: User, *, deciding: bool = False) -> bool:
    """The applicant and every traveller are parties: they never decide on the request.

    ``deciding``: asked by a decision's guard (:func:`delegations.facts.request_parties`).
    """
    if getattr(request, "created_by_id", None) == user.pk:
        return True
    if getattr(request, "members", None) is None:
        return False
    return user.pk in request_parties(request, deciding=deciding)


def task_read(task_id: int) -> Task | None:
    """The task with its process and owner, read once per unit of work (:mod:`config.memo`).

    The pages and the API read it to check visibility; the services read it again to find the
    flow's lock, then once more under the lock (what they decide on).
    """
    return memoized(
        ("task_read", task_id),
        lambda: Task.objects.select_related("process", "owner").filter(pk=task_id).first(),
    )


def task_visible_to(user: Any, task_id: int) -> Task | None:
    """The task, with its request as its process's artifact, if the user may open the request;
    else ``None`` (the pages and the API answer 404, never revealing it).

    The request is read through the visibility rule itself (one query, with its unit and
    author: :func:`delegations.kinds.artifact_for_user`), not read and then checked.
    """
    task = task_read(task_id)
    if task is None:
        return None
    process = task.process
    model = (
        ContentType.objects.get_for_id(process.artifact_content_type_id).model_class()
        if process.artifact_content_type_id
        else None
    )
    subject = artifact_for_user(user, model, process.artifact_object_id)
    if subject is None:
        return None
    # The same object, with its unit: the step's helpers (request_of) read it from here.
    process.artifact = subject
    return task


def task_ids_visible_to(user: Any, task_ids: list[int]) -> list[int]:
    """Those of ``task_ids`` whose request the user may open (a bulk claim takes no other):
    the tasks' artifacts are checked together, one query per kind of request, not per task."""
    rows = Task.objects.filter(pk__in=task_ids).values_list(
        "pk", "process__artifact_content_type_id", "process__artifact_object_id"
    )
    tasks_of: dict[int, dict[int, list[int]]] = {}  # content type -> artifact -> tasks
    for task_id, type_id, object_id in rows:
        if type_id is not None and object_id is not None:
            tasks_of.setdefault(type_id, {}).setdefault(object_id, []).append(task_id)
    visible: set[int] = set()
    for type_id, by_artifact in tasks_of.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        seen = artifact_ids_for_user(user, model, by_artifact) if model is not None else set()
        visible.update(
            t for artifact, tasks in by_artifact.items() if artifact in seen for t in tasks
        )
    return [pk for pk in task_ids if pk in visible]


def request_locked_for(process: Process) -> Model:
    """The process's request (its artifact) read under its row lock, without reading it first;
    the process keeps it as its artifact, so the flow's gates read that same row."""
    model = ContentType.objects.get_for_id(process.artifact_content_type_id).model_class()
    assert model is not None
    request: Model = request_lock(cast(Any, model)(pk=process.artifact_object_id))
    process.artifact = request
    return request


def _locked_task(task_id: int) -> tuple[Task, Any]:
    task = task_read(task_id)
    if task is None:
        raise StateConflict(_("Công việc không còn tồn tại."))
    return task, task.process.flow_class


def task_claim(*, task_id: int, user: User) -> Task:
    """Take a queued task into one's inbox (one owner even on a double click)."""
    task, flow_class = _locked_task(task_id)
    with process_lock(flow_class, task.process_id):
        task = Task.objects.select_related("process").get(pk=task_id)
        if task.status != STATUS.NEW:
            raise StateConflict(_("Công việc này đã có người nhận hoặc đã được xử lý."))
        _guard(task, user)
        task.flow_task.activation_class(task).assign(user)
        _audit_task(task, user, "task.claimed")
    return task


def task_release(*, task_id: int, user: User) -> Task:
    """Give an assigned task back to the queue of its role."""
    task, flow_class = _locked_task(task_id)
    with process_lock(flow_class, task.process_id):
        task = Task.objects.select_related("process").get(pk=task_id)
        if task.status != STATUS.ASSIGNED or task.owner_id != user.pk:
            raise StateConflict(_("Bạn không giữ công việc này."))
        if not task.owner_permission:
            raise StateConflict(_("Công việc này chỉ dành riêng cho bạn, không trả về hàng chờ."))
        task.flow_task.activation_class(task).unassign()
        _audit_task(task, user, "task.released")
    return task


def task_complete(
    *,
    task_id: int,
    user: User,
    action: str,
    comment: str = "",
    fields: dict[str, Any] | None = None,
) -> Task:
    """Complete a human step with a decision; the flow moves on in the same transaction.

    Under the process lock: the step's domain effect (``DECISION_HANDLERS`` of the flow: the
    request, a ``Decision`` row, the audit event), then the decision recorded on the process
    for the gates (who returned it, the reviewer who keeps it), then the flow moves on.
    """
    fields = fields or {}
    with memo_scope():
        return _task_complete(task_id, user, action, comment, fields)


def _task_complete(
    task_id: int, user: User, action: str, comment: str, fields: dict[str, Any]
) -> Task:
    task, flow_class = _locked_task(task_id)
    with transaction.atomic():
        # The one lock order (docs/production.md, "Row locks"): the request, then its process,
        # then (last, in audit_record) the audit chain's head. Verbs that move a flow from a
        # request (outbound.py, inbound.py) lock in the same order.
        request = request_locked_for(task.process)
        with request_held(request), task_locked(flow_class, task_id, task.process_id) as task:
            # The row locked above is the request the step and the flow's gates read.
            task.process.artifact = request
            _guard(task, user, request)
            step = step_for(task.flow_task.name)
            if step is None or action not in step.actions:
                raise ValidationError({"action": [_("Thao tác không hợp lệ ở bước này.")]})
            holder = acting_for(task, user)
            handler = DECISION_HANDLERS[flow_class]
            handler(
                request=request,
                decision=StepDecision(
                    step=step,
                    task=task,
                    actor=Actor(user=user, acting_for=holder),
                    action=action,
                    comment=comment.strip(),
                    fields=fields,
                ),
            )
            if task.status == STATUS.NEW:
                # Taken from the queue and completed in one write: viewflow's assign() would
                # save the task once more. Who may take it was checked above (_guard).
                task.owner = user
                task.status = STATUS.ASSIGNED
            activation = task.flow_task.activation_class(task)
            activation.start(None)
            process = task.process
            recorded = dict(process.data)
            process.data[DECISION] = action
            if action == RETURN:
                process.data[RETURNED_FROM] = task.flow_task.name
                process.data[RETURNED_BY] = user.pk
            if step.keeps_reviewer:
                process.data[REVIEWER] = user.pk
            if process.data != recorded:  # a second approval in a row records nothing new
                process.save(update_fields=["data"])
            task.data = {
                "action": action,
                "comment": comment.strip(),
                "acting_for": holder.pk if holder else None,
            }
            activation.execute()
    return task


def _audit_task(task: Task, user: User, action: str) -> None:
    request = request_of(task.process)
    audit_record(
        actor=user,
        action=action,
        object_type=getattr(request, "request_kind", "request"),
        object_id=request.pk,
        after={"task": task.pk, "step": task.flow_task.name},
    )


def tasks_release_lost_roles() -> int:
    """Give back to their role's queue the tasks whose owner no longer holds the role.

    An acting assignment that ended (or a role taken away) must not strand claimed work: run
    after the nightly permission sync. Each release is audited; returns how many were released.
    """
    claimed = (
        InboxEntry.objects.filter(status=STATUS.ASSIGNED, owner__isnull=False)
        .exclude(owner_permission="")
        .select_related("owner")
    )
    grants_of: dict[int, dict[str, list[int]]] = {}
    released = 0
    for entry in claimed.iterator():
        owner = entry.owner
        assert owner is not None
        if owner.pk not in grants_of:
            grants_of[owner.pk] = unit_grants(owner, STEP_PERMISSIONS)
        codename = entry.owner_permission.split(".", 1)[-1]
        if entry.permission_unit_id in grants_of[owner.pk].get(codename, []):
            continue
        task, flow_class = _locked_task(entry.task_id)
        with process_lock(flow_class, task.process_id):
            task = Task.objects.select_related("process").get(pk=entry.task_id)
            if task.status != STATUS.ASSIGNED or task.owner_id != owner.pk:
                continue
            task.flow_task.activation_class(task).unassign()
            _audit_task(task, owner, "task.returned_to_queue")
            released += 1
    return released


def tasks_claim_many(*, task_ids: list[int], user: User) -> tuple[list[int], list[int]]:
    """Claim several queued tasks ("assign to me"); returns (claimed, skipped) task ids.

    Each claim is its own transaction under its process lock: a task someone else took in the
    meantime, or one the user may not take, is skipped, never a reason to fail the others.
    """
    claimed: list[int] = []
    skipped: list[int] = []
    for task_id in dict.fromkeys(task_ids):
        try:
            task_claim(task_id=task_id, user=user)
        except (StateConflict, PermissionDenied):
            skipped.append(task_id)
        else:
            claimed.append(task_id)
    return claimed, skipped
