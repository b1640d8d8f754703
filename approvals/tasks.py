"""Periodic and asynchronous work of the approvals app (thin: call a service)."""

from __future__ import annotations

from celery import shared_task

from approvals import permissions


@shared_task
def sync_all_unit_permissions() -> int:
    """Nightly: acting assignments that start or end today take effect in the grants."""
    return permissions.sync_all_unit_permissions()
