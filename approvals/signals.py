"""Signal receivers of the approvals app: unit permissions follow role and acting assignments
(same transaction). The flows' receivers (inbox entries, notices) are in :mod:`workflow.signals`.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from approvals.permissions import sync_unit_permissions
from org.models import ActingAssignment, RoleAssignment


@receiver([post_save, post_delete], sender=RoleAssignment)
def role_assignment_changed(sender: type, instance: RoleAssignment, **kwargs: Any) -> None:
    sync_unit_permissions(instance.user)


@receiver([post_save, post_delete], sender=ActingAssignment)
def acting_assignment_changed(sender: type, instance: ActingAssignment, **kwargs: Any) -> None:
    sync_unit_permissions(instance.acting_user)
