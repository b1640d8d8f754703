"""Periodic work on requests (thin: call a service)."""

from __future__ import annotations

from celery import shared_task

from delegations.services.agreements import agreements_refresh
from workflow.services import inbound_advance_by_dates, outbound_advance_by_dates


@shared_task
def advance_trips_by_dates() -> int:
    """Daily: approved trips move to travelling / returned on their decision dates."""
    return outbound_advance_by_dates()


@shared_task
def advance_visits_by_dates() -> int:
    """Daily: approved visits start on their arrival date and end after their departure."""
    return inbound_advance_by_dates()


@shared_task
def refresh_agreements() -> dict[str, int]:
    """Daily: MOUs move along their dates; reminders 90 and 30 days before expiry, once each."""
    return agreements_refresh()
