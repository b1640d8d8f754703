"""Periodic work of the flows (thin: call a service)."""

from __future__ import annotations

from celery import shared_task

from workflow.reminders import deadline_alerts_send


# Named as when it lived in the approvals app: beat's schedule and queued messages use the name.
@shared_task(name="approvals.tasks.send_reminders", ignore_result=True)
def send_reminders() -> dict[str, int]:
    """Hourly: reminders before due dates and escalations after them (once each)."""
    return deadline_alerts_send()
