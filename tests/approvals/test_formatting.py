"""Numbers and dates as people write them: grouped money, dd/mm/yyyy, actual travel dates."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from delegations.models import OutboundRequest
from org.models import Person
from tests.approvals.record_helpers import approved, make_agencies
from tests.conftest import Org, login
from tests.flows import draft

pytestmark = pytest.mark.django_db


def test_money_is_grouped_by_thousands_in_each_language(org: Org, teacher_a: Person) -> None:
    request = draft(teacher_a, estimated_cost=90_000_000)
    client = login(teacher_a)

    assert "90.000.000 đ" in client.get(f"/doan-ra/{request.pk}/").content.decode()
    client.cookies["django_language"] = "en"
    assert "90,000,000 đ" in client.get(f"/doan-ra/{request.pk}/").content.decode()


def test_abroad_now_page_writes_dates_day_first(
    org: Org, teacher_a: Person, head_a: Person, dept_reviewer: Person, director: Person,
    auditor: Person,
) -> None:  # fmt: skip
    make_agencies()
    trip = approved(teacher_a, head_a, dept_reviewer, director)
    today = timezone.localdate()
    OutboundRequest.objects.filter(pk=trip.pk).update(
        departure_date=today - datetime.timedelta(days=1),
        return_date=today + datetime.timedelta(days=2),
    )

    html = login(auditor).get("/dang-o-nuoc-ngoai/").content.decode()

    assert (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y") in html
    assert (today + datetime.timedelta(days=2)).strftime("%d/%m/%Y") in html
    assert (today + datetime.timedelta(days=2)).isoformat() not in html


def test_closed_request_shows_actual_dates_beside_the_planned_ones(
    org: Org, teacher_a: Person, head_a: Person, dept_reviewer: Person, director: Person
) -> None:
    make_agencies()
    trip = approved(teacher_a, head_a, dept_reviewer, director)
    planned = trip.departure_date
    OutboundRequest.objects.filter(pk=trip.pk).update(
        status="closed",
        actual_departure=planned + datetime.timedelta(days=1),
        actual_return=planned + datetime.timedelta(days=3),
    )

    html = login(teacher_a).get(f"/doan-ra/{trip.pk}/").content.decode()

    assert "Ngày đi – về (dự kiến)" in html
    actual = html[html.index('id="actual-dates"') :][:400]
    assert (planned + datetime.timedelta(days=1)).strftime("%d/%m/%Y") in actual
    assert (planned + datetime.timedelta(days=3)).strftime("%d/%m/%Y") in actual
