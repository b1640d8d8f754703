"""A row held by a change that does not end: whoever waits for it answers 409 after
``DATABASE_LOCK_TIMEOUT_MS`` ("being handled, try again"), never hangs a worker until gunicorn
kills it, never answers 500, and loses nothing (PostgreSQL; SQLite has its busy timeout)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from approvals.models import Decision
from delegations.models import OutboundRequest
from tests import flows
from tests.api_helpers import post
from tests.conftest import login
from tests.flows import submitted
from tests.threads import row_held

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUSY = "đang được người khác xử lý"


def test_every_connection_gives_up_a_lock_wait_after_the_configured_time(settings):
    assert settings.DATABASE_LOCK_TIMEOUT_MS == 10000  # the default
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "10s"


def test_a_decision_on_a_request_someone_holds_is_a_409_then_goes_through_once_free(
    teacher_a, head_a
):
    request = submitted(teacher_a)
    task = flows.open_task(request)
    answers: dict[str, Any] = {}

    def decide() -> None:
        try:
            with connection.cursor() as cursor:  # the setting, shortened for the test
                cursor.execute("SET lock_timeout = '200ms'")
            url = f"/api/v1/tasks/{task.pk}/complete/"
            answers["api"] = post(login(head_a), url, {"action": "approve"})
            answers["page"] = login(head_a).post(f"/viec/{task.pk}/", {"action": "approve"})
        except Exception as exc:  # the test reports it
            answers["error"] = repr(exc)
        finally:
            connection.close()

    # A change that keeps the request's row and does not end.
    with row_held(OutboundRequest, request.pk):
        decider = threading.Thread(target=decide)
        decider.start()
        decider.join(60)
    assert "error" not in answers, answers
    assert answers["api"].status_code == 409
    assert BUSY in answers["api"].json()["detail"]
    assert answers["page"].status_code == 409
    assert BUSY in answers["page"].content.decode()
    assert f"/viec/{task.pk}/" in answers["page"].content.decode()  # the way back
    assert not Decision.objects.filter(task_id=task.pk).exists()  # nothing half-written
    # Once the row is free, the same decision goes through.
    response = post(login(head_a), f"/api/v1/tasks/{task.pk}/complete/", {"action": "approve"})
    assert response.status_code == 200, response.content.decode()[:500]
    assert Decision.objects.filter(task_id=task.pk).count() == 1
