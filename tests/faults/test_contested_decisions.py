"""Eight people press "approve" on one task at once: one 200 and seven 409s, on both databases.

On SQLite (the embedded default) too: IMMEDIATE transactions and a busy timeout make the seven
wait for the first and then find the task done, never "database is locked" or a 500.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from viewflow.workflow.models import Process
from viewflow.workflow.status import STATUS

from approvals.models import Decision
from tests import flows
from tests.api_helpers import open_task, post
from tests.conftest import login
from tests.faults.helpers import sqlite_file_database
from tests.flows import submitted
from tests.threads import at_once, row_held
from workflow.services import task_complete

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


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _blocked_by(pid: int) -> list[int]:
    """The sessions ``pid`` waits for (visible to the application role, unlike
    ``pg_stat_activity``'s wait events of the other sessions)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_blocking_pids(%s)", [pid])
        return list(cursor.fetchone()[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_decision_waits_for_whoever_holds_the_flow_then_goes_ahead(teacher_a, head_a):
    """A claim or a release holds the flow's lock (the process row) for a moment: a decision
    arriving then waits for it instead of failing at once (up to DATABASE_LOCK_TIMEOUT_MS),
    and is recorded once free."""
    request = submitted(teacher_a)
    task = flows.open_task(request)
    outcome: list[Any] = []
    pids: dict[str, int] = {}

    def decide() -> None:
        try:
            pids["decider"] = _backend_pid()
            done = task_complete(task_id=task.pk, user=head_a.user, action="approve")
            outcome.append(done.status)
        except Exception as exc:  # the test reports it
            outcome.append(repr(exc))
        finally:
            connection.close()

    decider = threading.Thread(target=decide)
    with row_held(Process, task.process_id) as holder:  # as a claim or a release holds it
        decider.start()
        tick = threading.Event()
        for _ in range(400):  # until the decision waits for the holder (bounded: 20 s)
            if "decider" in pids and holder in _blocked_by(pids["decider"]):
                break
            tick.wait(0.05)
        else:
            pytest.fail(f"the decision did not wait for the flow's lock: {outcome}")
        assert outcome == []  # waiting, not refused
    decider.join(60)
    assert outcome == [STATUS.DONE]
    assert Decision.objects.filter(task_id=task.pk).count() == 1
