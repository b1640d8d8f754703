"""Refusals are recorded: who, from where, which path, why; a scanner cannot flood the log."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from approvals.models import AuditEvent
from org.models import Person
from tests.conftest import login
from tests.delegations.page_helpers import decide
from tests.flows import draft, open_task, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def _denials() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__startswith="access.").order_by("seq"))


def test_other_schools_head_opening_a_request_is_recorded_once_a_minute(
    teacher_a: Person, head_b: Person
) -> None:
    request = draft(teacher_a)
    client = login(head_b)
    assert client.get(f"/doan-ra/{request.pk}/", REMOTE_ADDR="10.1.2.3").status_code == 404
    assert client.get(f"/doan-ra/{request.pk}/", REMOTE_ADDR="10.1.2.3").status_code == 404
    (event,) = _denials()
    assert event.action == "access.denied" and event.actor_username == "head_b"
    assert event.ip == "10.1.2.3"
    assert event.after["path"] == f"/doan-ra/{request.pk}/"
    assert event.after["status"] == 404 and event.after["reason"] == "Không tìm thấy hồ sơ."
    # The API's 404 on the same object is another path: recorded too.
    assert client.get(f"/api/v1/outbound/{request.pk}/").status_code == 404
    assert [e.after["path"] for e in _denials()][1] == f"/api/v1/outbound/{request.pk}/"


def test_refused_decision_is_recorded_with_its_reason(teacher_a: Person, clerk_a: Person) -> None:
    task = open_task(submitted(teacher_a), "review_by_unit_head")
    assert decide(login(clerk_a), task).status_code == 403
    (event,) = _denials()
    assert event.actor_username == "clerk_a" and event.after["status"] == 403
    assert event.after["method"] == "POST" and event.after["reason"]


def test_unknown_urls_and_anonymous_visitors_are_not_recorded(
    teacher_a: Person, head_b: Person
) -> None:
    assert login(head_b).get("/khong-co-trang-nay/").status_code == 404
    request = draft(teacher_a)
    Client().get(f"/api/v1/outbound/{request.pk}/")
    assert _denials() == []


def test_a_scanner_walking_ids_is_capped(settings: Any, teacher_a: Person, head_b: Person) -> None:
    settings.AUDIT_DENIAL_MAX_PER_USER = 3
    client = login(head_b)
    for pk in range(1000, 1010):
        assert client.get(f"/api/v1/outbound/{pk}/").status_code == 404
    actions = [e.action for e in _denials()]
    assert actions == ["access.denied"] * 3 + ["access.denials_throttled"]
