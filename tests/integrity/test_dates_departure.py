"""Dates (issue #15, problem 5): departure is confirmed at the earliest on the approved
departure day (the page says when; the form is not pre-filled), return not before departure."""

import datetime

import pytest
from django.utils import timezone

from tests.api_helpers import detail, post
from tests.conftest import login
from tests.flows import approved

pytestmark = pytest.mark.django_db
NOT_YET = "có thể xác nhận xuất cảnh từ ngày đó"


@pytest.fixture
def trip(org, teacher_a, head_a, dept_reviewer, director):
    return approved(teacher_a, head_a, dept_reviewer, director)


def on(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


def test_departure_weeks_before_the_approved_day_is_refused_with_the_day_it_becomes_possible(
    trip, teacher_a
):
    client = login(teacher_a)
    today = timezone.localdate()
    assert trip.departure_date > today + datetime.timedelta(days=14)
    response = post(client, f"/api/v1/outbound/{trip.pk}/departure/", {"date": today.isoformat()})
    assert response.status_code == 400
    message = response.json()["errors"]["date"][0]
    assert NOT_YET in message and f"{trip.departure_date:%d/%m/%Y}" in message
    assert detail(client, trip.pk)["status"] == "approved"


def test_request_page_explains_when_departure_can_be_confirmed_and_offers_no_button(
    trip, teacher_a
):
    html = login(teacher_a).get(f"/doan-ra/{trip.pk}/").content.decode()
    assert 'id="action-departure"' in html
    assert NOT_YET in html and f"{trip.departure_date:%d/%m/%Y}" in html
    assert 'name="departure-date"' not in html


def test_on_the_departure_day_the_form_is_empty_and_the_day_is_accepted(
    trip, teacher_a, monkeypatch
):
    on(monkeypatch, trip.departure_date)
    client = login(teacher_a)
    html = client.get(f"/doan-ra/{trip.pk}/").content.decode()
    form = html[html.index('id="action-departure"') :]
    form = form[: form.index("</form>")]
    assert (
        'name="departure-date"' in form
        and "value=" not in form.split('name="departure-date"')[1].split(">")[0]
    )
    day = trip.departure_date.isoformat()
    assert post(client, f"/api/v1/outbound/{trip.pk}/departure/", {"date": day}).status_code == 200
    assert detail(client, trip.pk)["status"] == "travelling"


def test_departure_before_the_approved_day_is_refused_even_once_it_is_possible(
    trip, teacher_a, monkeypatch
):
    on(monkeypatch, trip.departure_date + datetime.timedelta(days=2))
    client = login(teacher_a)
    early = (trip.departure_date - datetime.timedelta(days=1)).isoformat()
    response = post(client, f"/api/v1/outbound/{trip.pk}/departure/", {"date": early})
    assert response.status_code == 400
    assert "trước ngày đi đã được phê duyệt" in response.json()["errors"]["date"][0]


def test_return_before_departure_is_refused(trip, teacher_a, monkeypatch):
    later = trip.departure_date + datetime.timedelta(days=3)
    on(monkeypatch, later)
    client = login(teacher_a)
    departed = (trip.departure_date + datetime.timedelta(days=1)).isoformat()
    assert (
        post(client, f"/api/v1/outbound/{trip.pk}/departure/", {"date": departed}).status_code
        == 200
    )
    response = post(
        client, f"/api/v1/outbound/{trip.pk}/return/", {"date": trip.departure_date.isoformat()}
    )
    assert response.status_code == 400
    assert "Ngày về không được trước ngày đi." in str(response.json())
    assert detail(client, trip.pk)["status"] == "travelling"


def test_return_confirmed_before_the_departure_day_is_refused(trip, teacher_a):
    client = login(teacher_a)
    today = timezone.localdate().isoformat()
    response = post(client, f"/api/v1/outbound/{trip.pk}/return/", {"date": today})
    assert response.status_code in (400, 409)
    assert detail(client, trip.pk)["status"] == "approved"
