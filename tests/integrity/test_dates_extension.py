"""Dates (issue #15, problem 5): the new return date of an extension lies in the same window as
every other date of a dossier (today − 1 year … today + 3 years) and after the current return
date; the page and the API refuse it with the same Vietnamese words, and nothing is started."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Process

from delegations.models.dates import date_window
from tests.api_helpers import detail, post
from tests.conftest import login
from tests.flows import approved

pytestmark = pytest.mark.django_db
OUTSIDE = "nằm ngoài khoảng cho phép"


@pytest.fixture
def trip(org, teacher_a, head_a, dept_reviewer, director):
    return approved(teacher_a, head_a, dept_reviewer, director)


def _extensions() -> int:
    return Process.objects.filter(flow_class__endswith="OutboundExtensionFlow").count()


def _ask_extension(client, trip, new_return_date: datetime.date | str, reason: str):
    """The API's answer to ``client`` asking to extend ``trip`` to ``new_return_date``."""
    return post(
        client,
        f"/api/v1/outbound/{trip.pk}/extension/",
        {"new_return_date": str(new_return_date), "reason": reason},
    )


@pytest.mark.parametrize("day", ["9999-12-31", "2200-01-01"])
def test_api_refuses_a_new_return_date_years_ahead_with_a_clear_message(trip, teacher_a, day):
    client = login(teacher_a)
    response = _ask_extension(client, trip, day, "Hội thảo kéo dài")
    assert response.status_code == 400, response.json()
    message = response.json()["errors"]["new_return_date"][0]
    first, last = date_window()
    assert OUTSIDE in message and f"{last:%d/%m/%Y}" in message and f"{first:%d/%m/%Y}" in message
    assert detail(client, trip.pk)["return_date"] == trip.return_date.isoformat()
    assert _extensions() == 0


def test_the_last_day_of_the_window_is_accepted(trip, teacher_a):
    _first, last = date_window()
    response = _ask_extension(login(teacher_a), trip, last, "Học tiếp")
    assert response.status_code == 200, response.json()
    assert _extensions() == 1


def test_the_day_after_the_window_is_refused(trip, teacher_a):
    _first, last = date_window()
    response = _ask_extension(login(teacher_a), trip, last + datetime.timedelta(days=1), "Học")
    assert response.status_code == 400
    assert OUTSIDE in response.json()["errors"]["new_return_date"][0]


def test_a_date_before_the_current_return_is_still_refused(trip, teacher_a):
    response = _ask_extension(login(teacher_a), trip, trip.return_date, "Hội thảo")
    assert response.status_code == 400
    assert "phải sau ngày về hiện tại" in response.json()["errors"]["new_return_date"][0]


def test_the_page_shows_the_window_on_the_form_and_starts_nothing(trip, teacher_a):
    last = date_window()[1]
    response = login(teacher_a).post(
        f"/doan-ra/{trip.pk}/gia-han/",
        {"extension-new_return_date": "9999-12-31", "extension-reason": "Hội thảo kéo dài"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert OUTSIDE in html and f"{last:%d/%m/%Y}" in html
    assert _extensions() == 0
    assert timezone.localdate() < trip.return_date
