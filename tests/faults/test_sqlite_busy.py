"""SQLite (the embedded default of ``make demo``): a write that cannot take the database's
write lock, because another change holds it, answers 409 "being handled, try again" as on
PostgreSQL (``test_lock_wait.py``), never 500, and loses nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.signals import user_logged_in
from django.db import OperationalError, connection
from django.test import Client

from approvals.models import Decision
from config.api import server_error
from config.db.sqlite3.base import DatabaseWrapper
from config.env import SQLITE_OPTIONS
from config.errors import lock_not_available
from delegations.models import OutboundRequest
from tests import flows
from tests.api_helpers import post
from tests.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own lock (PostgreSQL: test_lock_wait.py)"
)

BUSY = "đang được người khác xử lý"


@contextmanager
def write_lock_held(name: str, *, uri: bool) -> Iterator[None]:
    """For the block, another connection holds the database's write lock, as a change that
    has not ended does."""
    with closing(sqlite3.connect(name, uri=uri, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")


@pytest.mark.django_db
def test_a_writer_whose_busy_timeout_runs_out_is_told_the_record_is_busy(tmp_path: Path) -> None:
    # A database file as `make demo` has one, its busy timeout shortened for the test.
    path = str(tmp_path / "office.sqlite3")
    with closing(sqlite3.connect(path)) as setup:
        setup.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY)")
    options = {**SQLITE_OPTIONS, "timeout": 0.1}
    office = DatabaseWrapper(
        {**connection.settings_dict, "NAME": path, "OPTIONS": options}, alias="office"
    )
    try:
        with (
            write_lock_held(path, uri=False),
            pytest.raises(OperationalError) as raised,
            office.cursor() as cursor,
        ):
            cursor.execute("INSERT INTO entry DEFAULT VALUES")
        assert "database is locked" in str(raised.value)
        assert lock_not_available(raised.value)
        with office.cursor() as cursor:  # once free, the same write goes through
            cursor.execute("INSERT INTO entry DEFAULT VALUES")
            cursor.execute("SELECT count(*) FROM entry")
            assert cursor.fetchone()[0] == 1
    finally:
        office.close()


@pytest.mark.django_db
def test_other_database_errors_are_not_taken_for_a_busy_record():
    with pytest.raises(OperationalError) as raised, connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert not lock_not_available(raised.value)


@pytest.mark.django_db(transaction=True)
def test_a_decision_while_another_change_holds_the_database_is_a_409_then_goes_through(
    teacher_a, head_a
):
    request = flows.submitted(teacher_a)
    task = flows.open_task(request)
    api, page = login(head_a), login(head_a)
    url = f"/api/v1/tasks/{task.pk}/complete/"

    with write_lock_held(connection.settings_dict["NAME"], uri=True):
        by_api = post(api, url, {"action": "approve"})
        by_page = page.post(f"/viec/{task.pk}/", {"action": "approve"})

    assert by_api.status_code == 409, by_api.content.decode()[:500]
    assert BUSY in by_api.json()["detail"]
    assert by_page.status_code == 409, by_page.content.decode()[:500]
    assert BUSY in by_page.content.decode()
    assert f"/viec/{task.pk}/" in by_page.content.decode()  # the way back
    assert not Decision.objects.filter(task_id=task.pk).exists()  # nothing half-written
    assert OutboundRequest.objects.get(pk=request.pk).status == request.status
    response = post(api, url, {"action": "approve"})
    assert response.status_code == 200, response.content.decode()[:500]
    assert Decision.objects.filter(task_id=task.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_log_in_whose_session_cannot_be_written_is_told_to_try_again_not_a_500(teacher_a):
    # The session is written after the view, by Django's session middleware, outside the
    # views' lock handling: another change takes the database just as the log-in is accepted.
    username, path = teacher_a.user.username, "/accounts/login/"
    held = ExitStack()

    def another_change_begins(**kwargs: object) -> None:
        held.enter_context(write_lock_held(connection.settings_dict["NAME"], uri=True))

    client = Client(raise_request_exception=False)
    user_logged_in.connect(another_change_begins)
    try:
        response = client.post(path, {"username": username, "password": TEST_PASSWORD})
    finally:
        user_logged_in.disconnect(another_change_begins)
        held.close()

    assert response.status_code == 409, response.content.decode()[:500]
    page = response.content.decode()
    assert BUSY in page
    assert f'href="{path}"' in page  # the way back to the log-in form
    assert client.get("/").status_code == 302  # not logged in: no session was kept
    # Once the database is free, the same log-in goes through.
    response = client.post(path, {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_lock_wait_that_reaches_djangos_last_resort_is_told_as_busy_not_as_a_bug(rf, teacher_a):
    # Outside any view (a middleware's write after the response), a lock wait that ran out
    # reaches handler500, not LockWaitMiddleware: the person is told the same as in a view.
    def request(path: str) -> Any:
        made = rf.get(path)
        made.user = teacher_a.user  # as the authentication middleware left it
        return made

    with write_lock_held(connection.settings_dict["NAME"], uri=True):
        try:
            OutboundRequest.objects.update(purpose="x")
        except OperationalError:
            page = server_error(request("/doan-ra/"))
            api = server_error(request("/api/v1/outbound/"))
    assert page.status_code == 409 and BUSY in page.content.decode()
    assert api.status_code == 409 and BUSY in json.loads(api.content)["detail"]
    try:  # any other error stays a 500 with the id to quote
        raise RuntimeError("a bug")
    except RuntimeError:
        assert server_error(request("/doan-ra/")).status_code == 500
