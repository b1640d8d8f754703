"""Eight people press "approve" on one task at once: one 200 and seven 409s, on both databases.

On SQLite (the embedded default) too: IMMEDIATE transactions and a busy timeout make the seven
wait for the first and then find the task done, never "database is locked" or a 500.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client

from approvals.models import Decision
from tests.api_helpers import open_task, post
from tests.conftest import login
from tests.faults.helpers import sqlite_file_database
from tests.flows import submitted
from tests.threads import at_once

PRESSES = 8


def _contest(teacher_a: Any, head_a: Any) -> tuple[list[Any], int]:
    request = submitted(teacher_a)
    clients = [login(head_a) for _ in range(PRESSES)]
    task_id = open_task(clients[0], request.pk)["id"]

    def press(client: Client) -> Any:
        return lambda: post(client, f"/api/v1/tasks/{task_id}/complete/", {"action": "approve"})

    return [press(client) for client in clients], task_id


def _statuses(responses: list[Any]) -> Counter[Any]:
    return Counter(getattr(r, "status_code", r) for r in responses)


def _assert_one_transition(responses: list[Any], task_id: int) -> None:
    assert _statuses(responses) == {200: 1, 409: PRESSES - 1}, [
        getattr(r, "content", r) for r in responses
    ]
    for response in responses:
        assert response["Content-Type"] == "application/json"
    assert Decision.objects.filter(task_id=task_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_eight_decisions_at_once_on_sqlite_file_give_one_200_and_seven_409(
    settings, tmp_path, teacher_a, head_a
):
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("the SQLite case")
    calls, task_id = _contest(teacher_a, head_a)
    with sqlite_file_database(tmp_path / "office.sqlite3"):
        responses = at_once(calls)
        _assert_one_transition(responses, task_id)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_decisions_at_once_on_postgresql_give_one_200_and_seven_409(teacher_a, head_a):
    calls, task_id = _contest(teacher_a, head_a)
    _assert_one_transition(at_once(calls), task_id)
