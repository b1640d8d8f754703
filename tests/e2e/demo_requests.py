"""Requests the browser tests start from, filed through the services on the demo data."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model

from delegations.services.outbound import MemberInput, OutboundInput, StopInput, outbound_create
from org.calendar import add_working_days
from org.models import Person
from tests.flows import open_task
from workflow.services import request_submit, task_complete


def osaka_trip(*approvers: str, days: int = 3, estimated_cost: int = 0) -> Any:
    """A teacher of THPT1 (``gv.thpt1``) files and submits a ``days``-day official trip to Osaka
    40 working days ahead; each of ``approvers`` (usernames, in step order) approves it."""
    users = {u.username: u for u in get_user_model().objects.all()}
    teacher = Person.objects.get(user__username="gv.thpt1")
    departure = add_working_days(datetime.date.today(), 40)
    data = OutboundInput(
        kind="official", purpose_category="study", purpose="Khảo sát giáo dục STEM tại Osaka",
        departure_date=departure, return_date=departure + datetime.timedelta(days=days - 1),
        funding_source="unit_revenue", estimated_cost=estimated_cost,
        members=[MemberInput(person_id=teacher.pk, role="head")],
        itinerary=[StopInput(country="JP", days=days, cities="Osaka")],
    )  # fmt: skip
    request = outbound_create(actor=users["gv.thpt1"], data=data)
    request_submit(actor=users["gv.thpt1"], request=request)
    for approver in approvers:
        task_complete(task_id=open_task(request).pk, user=users[approver], action="approve")
    request.refresh_from_db()
    return request
