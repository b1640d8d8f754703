"""The văn thư's side of agency dispatch, for the dispatch page's and services' tests."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from approvals.models import AgencyNotification
from org.models import Person


def acknowledge(
    client: Client, notification: AgencyNotification, *, via: str, note: str, by: Person
) -> None:
    """Record on the dispatch page that the agency acknowledged today ``via`` paper or phone."""
    today = timezone.localdate()
    response = client.post(
        f"/cong-van-di/{notification.pk}/xac-nhan/",
        {"via": via, "on": today.isoformat(), "note": note},
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == "acknowledged"
    assert (notification.acknowledged_via, notification.acknowledged_by) == (via, by.user)
    assert notification.acknowledged_on == today
