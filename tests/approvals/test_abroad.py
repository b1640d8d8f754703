"""Who is abroad now: approved trips whose dates include today, by unit, as far as one may see."""

import datetime

import pytest
from django.utils import timezone

from delegations.models import OutboundRequest
from tests.approvals.record_helpers import approved, make_agencies
from tests.conftest import login
from tests.delegations.outbound_helpers import far_departure
from tests.factories import PersonFactory
from workflow.services import outbound_cancel, outbound_confirm_departure

pytestmark = pytest.mark.django_db


def move_dates(request, start_offset: int, end_offset: int) -> None:
    """Put an approved trip's dates around today (approval needs them in the future)."""
    today = timezone.localdate()
    OutboundRequest.objects.filter(pk=request.pk).update(
        departure_date=today + datetime.timedelta(days=start_offset),
        return_date=today + datetime.timedelta(days=end_offset),
    )


@pytest.fixture
def trips(org, teacher_a, head_a, dept_reviewer, director, head_b):
    make_agencies()
    colleague = PersonFactory(unit=org.school_a, full_name="Phạm Thị Thu Hà", position="Giáo viên")
    abroad = approved(teacher_a, head_a, dept_reviewer, director, members=(teacher_a, colleague))
    move_dates(abroad, -2, 3)
    abroad_b = approved(head_b, dept_reviewer, director, departure=far_departure(60))
    move_dates(abroad_b, 0, 0)
    later = approved(teacher_a, head_a, dept_reviewer, director, departure=far_departure(150))
    back = approved(teacher_a, head_a, dept_reviewer, director, departure=far_departure(90))
    move_dates(back, -10, -1)
    cancelled = approved(head_a, dept_reviewer, director, departure=far_departure(120))
    outbound_cancel(actor=head_a.user, request=cancelled, reason="Hoãn")
    move_dates(cancelled, -1, 1)
    return {"abroad": abroad, "abroad_b": abroad_b, "later": later, "back": back}


def names(body):
    return {p["full_name"] for group in body["units"] for p in group["people"]}


def test_auditor_sees_everyone_abroad_today_grouped_by_their_unit(trips, auditor):
    body = login(auditor).get("/api/v1/abroad-now/").json()
    assert body["date"] == timezone.localdate().isoformat()
    assert body["count"] == 3
    groups = {g["unit"]["code"]: [p["full_name"] for p in g["people"]] for g in body["units"]}
    assert groups == {"THPT-A": ["Phạm Thị Thu Hà", "Trần Thị Lan"], "THPT-B": ["Võ Thị Hoa"]}
    lan = body["units"][0]["people"][1]
    assert lan["request"]["id"] == trips["abroad"].pk
    assert lan["countries"] == ["JP"] and lan["country_names"] == ["Nhật Bản"]
    assert lan["role"] == "head"


def test_head_of_other_school_does_not_see_school_a_travellers(trips, head_a, head_b):
    assert names(login(head_a).get("/api/v1/abroad-now/").json()) == {
        "Trần Thị Lan",
        "Phạm Thị Thu Hà",
    }
    assert names(login(head_b).get("/api/v1/abroad-now/").json()) == {"Võ Thị Hoa"}


def test_a_trip_confirmed_as_travelling_still_counts(trips, teacher_a, auditor):
    request = OutboundRequest.objects.get(pk=trips["abroad"].pk)
    outbound_confirm_departure(actor=teacher_a.user, request=request, date=request.departure_date)
    assert login(auditor).get("/api/v1/abroad-now/").json()["count"] == 3


def test_page_lists_travellers_by_unit(trips, auditor):
    page = login(auditor).get("/dang-o-nuoc-ngoai/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Trần Thị Lan" in html and "Võ Thị Hoa" in html and "Nhật Bản" in html
    assert html.count("Trần Thị Lan") == 1  # her later and earlier trips are not listed


def test_anonymous_caller_gets_401(client):
    assert client.get("/api/v1/abroad-now/").status_code == 401
