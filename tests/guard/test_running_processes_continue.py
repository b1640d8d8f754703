"""A request started before a change of the code's layout is finished after it.

``old_layout.json`` was dumped (``dumpdata --natural-foreign``) from the layout before the
restructure: an outbound request and an inbound visit, each submitted and approved by the school
head, waiting for the department. Loading it and finishing both through the API proves that the
stored flow references, node names and task rows still drive the new code.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from delegations.models import InboundVisit, OutboundRequest
from tests.db_roles import as_owner

FIXTURE = Path(__file__).parent / "old_layout.json"

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def open_task(client: Client, url: str) -> dict[str, Any]:
    tasks = [t for t in client.get(url).json()["current_tasks"] if t["actions"]]
    assert len(tasks) == 1, tasks
    return tasks[0]


def complete(username: str, url: str, step: str) -> None:
    client = client_for(username)
    task = open_task(client, url)
    assert task["step"] == step
    response = client.post(
        f"/api/v1/tasks/{task['id']}/complete/",
        {"action": "approve"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()


def test_requests_started_on_the_old_layout_are_approved_on_the_new_one() -> None:
    with as_owner():  # restoring a dump (audit events included) is the owner's work
        call_command("loaddata", str(FIXTURE), verbosity=0)
    # The dump's dates were weeks ahead when it was made; keep them ahead whenever this runs.
    shift = datetime.date.today() + datetime.timedelta(days=120)
    request = OutboundRequest.objects.get()
    OutboundRequest.objects.filter(pk=request.pk).update(
        departure_date=shift,
        return_date=shift + (request.return_date - request.departure_date),
    )
    visit = InboundVisit.objects.get()
    InboundVisit.objects.filter(pk=visit.pk).update(
        arrival_date=shift, departure_date=shift + (visit.departure_date - visit.arrival_date)
    )

    outbound_url = f"/api/v1/outbound/{request.pk}/"
    complete("dept_reviewer", outbound_url, "review_by_department")
    complete("director", outbound_url, "decide_by_director")
    assert client_for("teacher_a").get(outbound_url).json()["status"] == "approved"

    inbound_url = f"/api/v1/inbound/{visit.pk}/"
    complete("dept_reviewer", inbound_url, "review_by_department")
    complete("director", inbound_url, "decide_by_director")
    assert client_for("clerk_a").get(inbound_url).json()["status"] == "approved"
