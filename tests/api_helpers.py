"""Walking requests through the JSON API, as a client would: read, find the open step, act.

The API twins of ``tests/flows.py``: these see only what the API shows the client's user.
"""

from __future__ import annotations

from typing import Any

from django.test import Client

from org.models import Person
from tests.conftest import login

ROOTS = {"outbound": "/api/v1/outbound/", "inbound": "/api/v1/inbound/"}


def post(client: Client, url: str, body: dict | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def detail(client: Client, rid: int, kind: str = "outbound") -> dict:
    response = client.get(f"{ROOTS[kind]}{rid}/")
    assert response.status_code == 200, response.content.decode()[:3000]
    return response.json()


def open_task(client: Client, rid: int, kind: str = "outbound") -> dict:
    """The one current step of the request that the client's user can act on."""
    tasks = [t for t in detail(client, rid, kind)["current_tasks"] if t["actions"]]
    assert len(tasks) == 1, tasks
    return tasks[0]


def complete(
    client: Client, rid: int, action: str = "approve", kind: str = "outbound", **fields: object
) -> Any:
    """Complete the one open human step of the request as the client's user."""
    task = open_task(client, rid, kind)
    return post(client, f"/api/v1/tasks/{task['id']}/complete/", {"action": action, **fields})


def approve_all(rid: int, *people: Person, kind: str = "outbound") -> None:
    """Each person, logged in, approves the request's open step in turn."""
    for person in people:
        response = complete(login(person), rid, kind=kind)
        assert response.status_code == 200, response.json()
