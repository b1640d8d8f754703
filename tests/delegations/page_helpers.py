"""Walking outbound requests through the pages, as a browser would post them.

The step to decide is found with ``tests.flows.open_task(request, step)``.
"""

from __future__ import annotations

import datetime
import re

from django.test import Client
from viewflow.workflow.models import Task

from delegations.models import OutboundRequest
from org.models import Person
from tests.delegations.outbound_helpers import far_departure


def form_data(
    *members: Person,
    purpose: str = "Khảo sát mô hình giáo dục STEM",
    departure: datetime.date | None = None,
    days: int = 5,
    **extra: str,
) -> dict[str, str]:
    """The POST body of the request form for a delegation of ``members`` (first is head)."""
    departure = departure or far_departure()
    data = {
        "kind": "official",
        "purpose_category": "study",
        "purpose": purpose,
        "departure_date": departure.isoformat(),
        "return_date": (departure + datetime.timedelta(days=days - 1)).isoformat(),
        # No inviter by default (OUT-INVITATION wants the invitation attached when one is named).
        "funding_source": "unit_revenue",
        "estimated_cost": "120000000",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "stops-TOTAL_FORMS": "1",
        "stops-INITIAL_FORMS": "0",
        "stops-0-country": "JP",
        "stops-0-days": "3",
        "stops-0-cities": "Osaka",
    }
    for i, person in enumerate(members):
        data[f"members-{i}-person"] = str(person.pk)
        data[f"members-{i}-role"] = "head" if i == 0 else "member"
    data.update(extra)
    return data


def create_draft(client: Client, *members: Person, **kwargs: str) -> OutboundRequest:
    response = client.post("/doan-ra/moi/", form_data(*members, **kwargs))
    assert response.status_code == 302, response.content.decode()[:3000]
    pk = int(re.search(r"/doan-ra/(\d+)/", response["Location"]).group(1))  # type: ignore[union-attr]
    return OutboundRequest.objects.get(pk=pk)


def submit(client: Client, request: OutboundRequest, **justifications: str) -> None:
    body = {f"submit-j_{rule}": text for rule, text in justifications.items()}
    response = client.post(f"/doan-ra/{request.pk}/trinh/", body)
    assert response.status_code == 302, response.content.decode()[:3000]


def decide(client: Client, task: Task, action: str = "approve", **fields: str):
    return client.post(f"/viec/{task.pk}/", {"action": action, **fields})
