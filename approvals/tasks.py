"""Periodic and asynchronous work of the approvals app (thin: call a service)."""

from __future__ import annotations

from celery import shared_task

from approvals import permissions


@shared_task
def sync_all_unit_permissions() -> int:
    """Nightly: acting assignments that start or end today take effect in the grants."""
    count = permissions.sync_all_unit_permissions()
    # Claimed tasks of an acting assignment that just ended go back to the role's queue.
    from workflow.services import tasks_release_lost_roles

    tasks_release_lost_roles()
    return count


@shared_task(ignore_result=True)
def send_message(message_id: int) -> str:
    """Send one outbox row; a repeat of the task finds the row claimed or sent and does nothing.

    SMTP errors are handled by the service (backoff, then failed), so the task never retries
    itself: a retry is a row waiting for the sweeper, which survives a worker's or Redis's death.
    """
    from approvals.outbox import message_send

    return message_send(message_id)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Every minute: re-dispatch rows left unsent and reclaim rows of dead workers."""
    from approvals.outbox import outbox_sweep

    return outbox_sweep()


@shared_task(ignore_result=True)
def send_reminders() -> dict[str, int]:
    """Hourly: reminders before due dates and escalations after them (once each)."""
    from approvals.reminders import deadline_alerts_send

    return deadline_alerts_send()


@shared_task(ignore_result=True)
def escalate_agency_notices() -> int:
    """Daily: agency notifications nobody acknowledged in time go to the department reviewers."""
    from approvals.notifications import agency_notices_escalate

    return agency_notices_escalate()


# Registered here so that the worker, which imports each app's ``tasks``, knows the task.
from approvals.documents.tasks import render_document  # noqa: E402, F401
