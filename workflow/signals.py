"""Receivers on viewflow's own signals, so flows and task services stay free of side code.

- Every save of a human task updates its :class:`workflow.models.InboxEntry`.
- A human task row is created (``post_save`` of ``Task``): whoever must act is told.
- A flow reaches a node that decides the request (``task_started`` of ``approve``/``rejected``,
  ``extend``/``refused`` for extensions): the applicant is told.

All fire inside the flow's transaction, so entries, notices and e-mails commit, or roll back,
with the step itself.

viewflow saves a task several times in one step (assigned, started, finished; the next task is
created, then activated). Under :func:`task_effects_coalesced` (every move under the process
lock, :func:`workflow.services.process_lock`) the saves are only collected, and once the flow
has settled each task gets one inbox write and, if it was created in the step and is still
open, one notice to whoever must act, in the same transaction, before it commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task
from viewflow.workflow.signals import task_started
from viewflow.workflow.status import STATUS

from workflow.inbox import inbox_entry_sync
from workflow.notify import OUTCOME_NODES, request_decided, task_arrived

#: The human tasks saved in the open coalescing block: task id -> (latest instance, created).
_settling: ContextVar[dict[int, tuple[Task, bool]] | None] = ContextVar(
    "settling_tasks", default=None
)


@contextmanager
def task_effects_coalesced() -> Iterator[None]:
    """Collect the side effects of task saves and run them once, when the block ends.

    A block inside another joins it. When the block raises, nothing is run: the transaction
    that saved the tasks rolls back with it.
    """
    if _settling.get() is not None:
        yield
        return
    saved: dict[int, tuple[Task, bool]] = {}
    token = _settling.set(saved)
    try:
        yield
    finally:
        _settling.reset(token)
    for task, created in saved.values():
        _task_effects(task, created)


def _task_effects(task: Task, created: bool) -> None:
    if created and task.status in (STATUS.NEW, STATUS.ASSIGNED):
        task_arrived(task)
    inbox_entry_sync(task, created=created)


@receiver(post_save, sender=Task)
def human_task_saved(sender: type, instance: Task, created: bool, **kwargs: Any) -> None:
    if instance.flow_task_type != "HUMAN":
        return
    created = created and not kwargs.get("raw")
    settling = _settling.get()
    if settling is None:
        _task_effects(instance, created)
        return
    earlier = settling.get(instance.pk)
    settling[instance.pk] = (instance, created or (earlier is not None and earlier[1]))


@receiver(task_started)
def decision_node_reached(sender: Any, process: Any, task: Any, **kwargs: Any) -> None:
    outcome = OUTCOME_NODES.get(task.flow_task.name)
    if outcome is not None and process.artifact is not None:
        request_decided(process.artifact, outcome)
