"""The inbound calendar's month view and date jump: far visits in one request, bad input
answered with the current period, other units' visits never shown."""

from __future__ import annotations

import datetime
import re

import pytest

from tests.conftest import login
from tests.flows import approve_all, draft_visit, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def far_visit(clerk_a, head_a, dept_reviewer, director):
    arrival = datetime.date.today() + datetime.timedelta(weeks=6)
    while arrival.weekday() >= 5:
        arrival += datetime.timedelta(days=1)
    visit = draft_visit(clerk_a, arrival=arrival)
    submit(visit, clerk_a)
    return approve_all(visit, head_a, dept_reviewer, director)


def test_date_jump_opens_the_week_and_the_month_of_a_visit_six_weeks_away(far_visit, head_a):
    client = login(head_a)
    day = far_visit.arrival_date.isoformat()
    assert far_visit.reference not in client.get("/doan-vao/lich/").content.decode()
    week = client.get(f"/doan-vao/lich/?date={day}").content.decode()
    assert far_visit.reference in week
    month = client.get(f"/doan-vao/lich/?view=month&date={day}").content.decode()
    assert far_visit.reference in month and 'id="month-calendar"' in month
    code = f"{far_visit.arrival_date:%Y-%m}"
    assert (
        far_visit.reference
        in client.get(f"/doan-vao/lich/?view=month&month={code}").content.decode()
    )


def test_week_and_month_list_the_visit_under_its_days_for_a_phone(far_visit, head_a):
    client = login(head_a)
    day = far_visit.arrival_date.isoformat()
    for query in (f"?date={day}", f"?view=month&date={day}"):
        page = client.get(f"/doan-vao/lich/{query}").content.decode()
        agenda = page[page.index('id="visit-agenda"') :]
        assert f"{far_visit.arrival_date:%d/%m/%Y}</h3>" in agenda, query
        assert f"{far_visit.reference}</a> – {far_visit.unit.name}" in agenda, query


def test_month_view_hides_visits_of_another_school(far_visit, head_b):
    day = far_visit.arrival_date.isoformat()
    page = login(head_b).get(f"/doan-vao/lich/?view=month&date={day}").content.decode()
    assert far_visit.reference not in page


@pytest.mark.parametrize(
    "query",
    ["?date=2027-02-30", "?date=x" * 200, "?view=month&month=2027-13", "?view=month&month=abc",
     "?view=month&date=9999-12-31", "?view=month&month=9999-12", "?week=9999-W52",
     "?view=month&month=0001-01", "?date=0001-01-01", "?view=year"],
)  # fmt: skip
def test_nonsense_dates_show_the_current_period_not_an_error(clerk_a, query):
    response = login(clerk_a).get(f"/doan-vao/lich/{query}")
    assert response.status_code == 200
    assert "Đến ngày" in response.content.decode()


def _links(page: str) -> dict[str, str]:
    """The calendar's navigation links by id: ``{"prev-week": "?week=…", …}``."""
    found = re.findall(r'href="(\?[^"]*)"[^>]*id="([a-z-]+)"', page)
    return {ident: href.replace("&amp;", "&") for href, ident in found}


def test_the_arrows_lead_to_the_neighbouring_week_and_month_and_across_views(org, head_a):
    client = login(head_a)
    week = _links(client.get("/doan-vao/lich/?week=2027-W10").content.decode())
    assert week == {
        "prev-week": "?week=2027-W09",
        "next-week": "?week=2027-W11",
        "month-view": "?view=month&month=2027-03",
    }
    month = _links(client.get("/doan-vao/lich/?view=month&month=2027-03").content.decode())
    assert month == {
        "prev-month": "?view=month&month=2027-02",
        "next-month": "?view=month&month=2027-04",
        "week-view": "?week=2027-W09",
    }
