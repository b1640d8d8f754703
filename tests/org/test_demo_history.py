"""The demo's past year: the reports, the "abroad now" page and the calendar start with
something to show, late reports among it; the seed stays idempotent and deterministic."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from approvals.record.abroad import abroad_now
from approvals.record.reports import annual_report
from delegations.models import InboundVisit, OutboundRequest
from org import demo
from org.models import Person
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded(settings) -> None:
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=StringIO())


def test_a_past_year_of_trips_and_visits_with_reports_on_time_late_and_missing() -> None:
    today = datetime.date.today()
    year_ago = today - datetime.timedelta(days=366)
    trips = OutboundRequest.objects.filter(departure_date__gte=year_ago)
    visits = InboundVisit.objects.filter(arrival_date__gte=year_ago)
    assert trips.filter(status="closed", departure_date__lt=today).count() >= 3
    assert visits.filter(status="closed", arrival_date__lt=today).count() >= 2
    assert all(r.reference for r in [*trips, *visits])
    late = [
        r
        for r in [*trips, *visits]
        if r.report_submitted_at and r.report_submitted_at.date() > r.report_due
    ]
    missing = [
        r for r in [*trips, *visits] if r.report_due and r.report_due < today and not r.report_text
    ]
    assert late and missing
    # The reports of the years concerned count them.
    years = {r.departure_date.year for r in trips if r.departure_date < today}
    assert sum(annual_report(y).total.outbound_delegations for y in years) >= 4
    assert sum(annual_report(y).total.late_reports for y in years | {today.year}) >= 2


def test_someone_is_abroad_today_and_visits_fill_the_calendar(fresh_cache) -> None:
    auditor = Person.objects.get(user__username="thanhtra")
    abroad = abroad_now(user=auditor.user, today=datetime.date.today())
    travelling = [
        t for t in demo.TRIPS
        if t[11] == "travelling" and demo._this_year(datetime.date.today(), _start(t[9]), t[10])
    ]  # fmt: skip
    assert abroad["count"] == sum(len(t[3]) for t in travelling) >= 0
    assert travelling or datetime.date.today().month == 12
    clerk = Person.objects.get(user__username="vt.thpt1")
    page = login(clerk).get("/doan-vao/lich/").content.decode()
    shown = InboundVisit.objects.filter(status__in=("visiting", "approved"), unit__code="THPT1")
    # Dossiers to come are seeded only when they end this year (late December has fewer).
    expected = [
        v for v in demo.VISITS if v[1] == "THPT1" and v[8] in {"visiting", "approved"}
        and demo._this_year(datetime.date.today(), _start(v[6]), v[7])
    ]  # fmt: skip
    assert shown.count() == len(expected)
    for visit in shown:
        month = login(clerk).get(f"/doan-vao/lich/?view=month&date={visit.arrival_date}")
        assert visit.reference in month.content.decode()
    visiting = shown.filter(status="visiting").first()
    if visiting is not None:
        assert visiting.reference in page


def test_the_history_is_idempotent_and_the_same_on_every_run() -> None:
    before = sorted(OutboundRequest.objects.values_list("reference", "departure_date", "status"))
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Đã tạo 0, cập nhật 0" in out.getvalue()
    after = sorted(OutboundRequest.objects.values_list("reference", "departure_date", "status"))
    assert before == after
    today = datetime.date.today()
    assert len(after) == sum(demo._this_year(today, _start(t[9]), t[10]) for t in demo.TRIPS)
    assert InboundVisit.objects.count() == sum(
        demo._this_year(today, _start(v[6]), v[7]) for v in demo.VISITS
    )


def _start(offset: int) -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=offset)


def test_every_seeded_dossier_and_the_record_pages_open_for_the_auditor(fresh_cache) -> None:
    client = login(Person.objects.get(user__username="thanhtra"))
    for trip in OutboundRequest.objects.all():
        response = client.get(f"/doan-ra/{trip.pk}/")
        assert response.status_code == 200, (trip.purpose, response.status_code)
    for visit in InboundVisit.objects.all():
        response = client.get(f"/doan-vao/{visit.pk}/")
        assert response.status_code == 200, (visit.purpose, response.status_code)
    for path in ("/dang-o-nuoc-ngoai/", "/bao-cao/", "/bao-cao/nam/", "/nhat-ky/", "/"):
        assert client.get(path).status_code == 200, path
    if OutboundRequest.objects.filter(status="travelling").exists():
        assert "Lê Minh Khoa" in client.get("/dang-o-nuoc-ngoai/").content.decode()
