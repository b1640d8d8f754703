"""The Sở's own people: with the demo directory, a deputy director's trip and a department
officer's trip have a holder for every step and move all the way to approval; the superuser
``admin`` decides none of it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from config.errors import PermissionDenied, StateConflict
from delegations.services.outbound import outbound_create
from org.models import Person
from tests.delegations.outbound_helpers import outbound_input
from tests.flows import open_task, submit
from workflow.services import task_complete

pytestmark = pytest.mark.usefixtures("step_holders_required")


def person(username: str) -> Person:
    return Person.objects.select_related("user").get(user__username=username)


def own_trip(username: str) -> Any:
    """``username``'s own trip, 120 days ahead, filed and submitted by them."""
    traveller = person(username)
    departure = datetime.date.today() + datetime.timedelta(days=120)
    request = outbound_create(
        actor=traveller.user, data=outbound_input(traveller, departure=departure)
    )
    submit(request, traveller)
    return request


def walk(request: Any, steps: list[tuple[str, str]]) -> None:
    admin = get_user_model().objects.get(username="admin")
    for step, username in steps:
        task = open_task(request, step)
        with pytest.raises((PermissionDenied, StateConflict)):
            task_complete(task_id=task.pk, user=admin, action="approve")
        fields = (
            {"decision_number": "12/QĐ-UBND", "decision_date": datetime.date.today().isoformat()}
            if step == "record_city_decision"
            else {}
        )
        task_complete(task_id=task.pk, user=person(username).user, action="approve", fields=fields)
    request.refresh_from_db()
    assert request.status == "approved"


def test_deputy_directors_trip_goes_to_the_city_proposed_by_the_director(demo: None) -> None:
    request = own_trip("pgd")
    assert request.route == "CITY"
    walk(
        request,
        [
            ("review_by_department", "cv.vp"),
            ("propose_by_director", "gd"),
            ("record_city_decision", "cv.vp"),
        ],
    )


def test_department_officers_trip_goes_to_the_office_head_then_the_director(demo: None) -> None:
    request = own_trip("cv.vp")
    assert request.route == "DEPT"
    walk(request, [("review_by_unit_head", "cvp.vp"), ("decide_by_director", "gd")])
