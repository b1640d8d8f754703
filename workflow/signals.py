"""Receivers on viewflow's own signals, so flows and task services stay free of side code.

- Every save of a human task updates its :class:`workflow.models.InboxEntry`.
- A human task row is created (``post_save`` of ``Task``): whoever must act is told.
- A flow reaches a node that decides the request (``task_started`` of ``approve``/``rejected``,
  ``extend``/``refused`` for extensions): the applicant is told.

All fire inside the flow's transaction, so entries, notices and e-mails commit, or roll back,
with the step itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task
from viewflow.workflow.signals import task_started

from workflow.inbox import inbox_entry_sync
from workflow.notify import OUTCOME_NODES, request_decided, task_arrived


@receiver(post_save, sender=Task)
def human_task_saved(sender: type, instance: Task, created: bool, **kwargs: Any) -> None:
    if instance.flow_task_type != "HUMAN":
        return
    if created and not kwargs.get("raw"):
        task_arrived(instance)
    inbox_entry_sync(instance)


@receiver(task_started)
def decision_node_reached(sender: Any, process: Any, task: Any, **kwargs: Any) -> None:
    outcome = OUTCOME_NODES.get(task.flow_task.name)
    if outcome is not None and process.artifact is not None:
        request_decided(process.artifact, outcome)
