"""Dates (issue #15, problem 5): a dossier's dates lie within today − 1 year … today + 3 years,
refused with a clear Vietnamese 400 by the pages, the API and the services; a trip or a visit
whose start has passed cannot be submitted, whatever the justification."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.errors import ValidationError
from delegations.models import InboundVisit, OutboundRequest
from delegations.models.dates import date_window
from delegations.services.outbound import outbound_create
from tests.api_helpers import post
from tests.conftest import login
from tests.delegations import inbound_helpers
from tests.delegations.outbound_helpers import outbound_input
from tests.delegations.page_helpers import form_data
from tests.delegations.test_outbound_api import create, payload
from tests.flows import draft, draft_visit
from workflow.services import request_submit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
WINDOW = "nằm ngoài khoảng cho phép"


def rule_pack_ran(queries: CaptureQueriesContext) -> bool:
    """Whether the rule pack was evaluated: it always reads the rule set in force first."""
    return any("workflow_rulesetversion" in q["sql"] for q in queries.captured_queries)


PAST = "đã qua: không thể trình hồ sơ"


def test_trip_that_ended_two_months_ago_cannot_be_submitted_even_with_a_justification(
    org, teacher_a
):
    client = login(teacher_a)
    departure = TODAY - datetime.timedelta(days=70)
    rid = create(client, teacher_a, departure=departure, days=10)["id"]
    response = post(
        client,
        f"/api/v1/outbound/{rid}/submit/",
        {"justifications": {"OUT-LEAD-TIME": "Chuyến đi đã diễn ra, xin hợp thức hóa."}},
    )
    assert response.status_code == 400
    assert PAST in str(response.json())
    assert f"{departure:%d/%m/%Y}" in str(response.json())
    request = OutboundRequest.objects.get(pk=rid)
    assert request.status == "draft" and request.reference is None


def test_trip_departing_yesterday_is_refused_and_today_is_accepted(org, teacher_a, head_a):
    yesterday = draft(teacher_a, departure=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        request_submit(
            actor=teacher_a.user, request=yesterday, justifications={"OUT-LEAD-TIME": "Gấp"}
        )
    assert "departure_date" in refused.value.message_dict
    today = draft(teacher_a, departure=TODAY + datetime.timedelta(days=20), days=2)
    today.departure_date = today.return_date = TODAY
    today.save()
    request_submit(actor=teacher_a.user, request=today, justifications={"OUT-LEAD-TIME": "Gấp"})
    today.refresh_from_db()
    assert today.status == "submitted"


@pytest.mark.parametrize("year", [1900, 9999])
def test_absurd_years_get_a_fast_400_from_the_api(org, teacher_a, year):
    client = login(teacher_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/v1/outbound/",
            payload(teacher_a, departure=datetime.date(year, 1, 4)),
            content_type="application/json",
        )
    assert response.status_code == 400
    assert WINDOW in response.json()["errors"]["departure_date"][0]
    assert not rule_pack_ran(queries)
    assert not OutboundRequest.objects.exists()


def test_window_edges_on_the_api(org, teacher_a):
    first, last = date_window()
    client = login(teacher_a)
    ok = client.post(
        "/api/v1/outbound/", payload(teacher_a, departure=last, days=1),
        content_type="application/json",
    )  # fmt: skip
    assert ok.status_code == 201, ok.json()
    late = client.post(
        "/api/v1/outbound/", payload(teacher_a, departure=last + datetime.timedelta(days=1)),
        content_type="application/json",
    )  # fmt: skip
    assert late.status_code == 400
    assert f"{last:%d/%m/%Y}" in late.json()["errors"]["departure_date"][0]
    early = client.post(
        "/api/v1/outbound/", payload(teacher_a, departure=first - datetime.timedelta(days=1)),
        content_type="application/json",
    )  # fmt: skip
    assert early.status_code == 400
    assert f"{first:%d/%m/%Y}" in early.json()["errors"]["departure_date"][0]


def test_patch_to_year_9999_is_refused_and_the_draft_is_unchanged(org, teacher_a):
    client = login(teacher_a)
    created = create(client, teacher_a)
    body = payload(teacher_a, departure=datetime.date(9999, 12, 1))
    response = client.patch(
        f"/api/v1/outbound/{created['id']}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert WINDOW in str(response.json())
    assert OutboundRequest.objects.get(pk=created["id"]).departure_date.year < 9999


def test_request_form_refuses_year_9999_with_the_window_in_vietnamese(org, teacher_a):
    client = login(teacher_a)
    response = client.post(
        "/doan-ra/moi/", form_data(teacher_a, departure=datetime.date(9999, 1, 4))
    )
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert WINDOW in html
    assert not OutboundRequest.objects.exists()


def test_services_refuse_absurd_dates_whoever_calls_them(org, teacher_a):
    data = outbound_input(teacher_a, departure=datetime.date(9999, 1, 4))
    with pytest.raises(ValidationError) as refused:
        outbound_create(actor=teacher_a.user, data=data)
    assert WINDOW in refused.value.message_dict["departure_date"][0]


def test_stored_draft_in_year_9999_is_refused_before_the_rule_pack_runs(org, teacher_a):
    request = draft(teacher_a)
    # A row written before the window existed (or by hand): submission must not evaluate it.
    OutboundRequest.objects.filter(pk=request.pk).update(
        departure_date=datetime.date(9999, 1, 4), return_date=datetime.date(9999, 1, 8)
    )
    request.refresh_from_db()
    client = login(teacher_a)
    with CaptureQueriesContext(connection) as queries:
        response = post(client, f"/api/v1/outbound/{request.pk}/submit/")
    assert response.status_code == 400
    assert not rule_pack_ran(queries)  # it took 15 s for year 9999 and then failed
    assert WINDOW in str(response.json())


def test_visit_that_began_last_week_cannot_be_submitted(org, clerk_a):
    client = login(clerk_a)
    arrival = TODAY - datetime.timedelta(days=7)
    created = inbound_helpers.create(client, arrival=arrival)
    response = post(client, f"/api/v1/inbound/{created['id']}/submit/")
    assert response.status_code == 400
    assert PAST in str(response.json())
    assert InboundVisit.objects.get(pk=created["id"]).status == "draft"


def test_visit_in_year_9999_is_refused_by_the_api_and_the_service(org, clerk_a):
    client = login(clerk_a)
    response = post(
        client, "/api/v1/inbound/", inbound_helpers.payload(arrival=datetime.date(9999, 3, 1))
    )
    assert response.status_code == 400
    assert WINDOW in response.json()["errors"]["arrival_date"][0]
    visit = draft_visit(clerk_a)
    InboundVisit.objects.filter(pk=visit.pk).update(
        arrival_date=datetime.date(1900, 3, 1), departure_date=datetime.date(1900, 3, 2)
    )
    visit.refresh_from_db()
    with pytest.raises(ValidationError):
        request_submit(actor=clerk_a.user, request=visit)


def test_request_page_refuses_to_submit_a_trip_that_has_begun(org, teacher_a):
    request = draft(teacher_a, departure=TODAY - datetime.timedelta(days=3))
    client = login(teacher_a)
    response = client.post(
        f"/doan-ra/{request.pk}/trinh/", {"submit-j_OUT-LEAD-TIME": "Đã đi rồi, xin duyệt bù."}
    )
    assert response.status_code == 400
    assert PAST in response.content.decode()
    request.refresh_from_db()
    assert request.status == "draft"
