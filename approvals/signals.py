"""Signal receivers of the approvals app.

- Unit permissions follow role and acting assignments (same transaction).
- People are told when a task arrives and when a request is decided. These hang on viewflow's
  own signals, so the flows and workflow services stay free of notification code: a human task
  row is created (``post_save`` of ``Task``), or a flow reaches a node that decides the request
  (``task_started`` of the ``approve``/``rejected`` nodes, ``extend``/``refused`` for
  extensions). Both fire inside the flow's transaction, so the notices and e-mails commit, or
  roll back, with the step itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task
from viewflow.workflow.signals import task_started

from approvals.permissions import sync_unit_permissions
from org.models import ActingAssignment, RoleAssignment


@receiver([post_save, post_delete], sender=RoleAssignment)
def role_assignment_changed(sender: type, instance: RoleAssignment, **kwargs: Any) -> None:
    sync_unit_permissions(instance.user)


@receiver([post_save, post_delete], sender=ActingAssignment)
def acting_assignment_changed(sender: type, instance: ActingAssignment, **kwargs: Any) -> None:
    sync_unit_permissions(instance.acting_user)


@receiver(post_save, sender=Task)
def human_task_created(sender: type, instance: Task, created: bool, **kwargs: Any) -> None:
    if created and instance.flow_task_type == "HUMAN" and not kwargs.get("raw"):
        from approvals.notices import task_arrived

        task_arrived(instance)


@receiver(task_started)
def decision_node_reached(sender: Any, process: Any, task: Any, **kwargs: Any) -> None:
    from approvals.notices import OUTCOME_NODES, request_decided

    outcome = OUTCOME_NODES.get(task.flow_task.name)
    if outcome is not None and process.artifact is not None:
        request_decided(process.artifact, outcome)
