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
    assert abroad["count"] >= 1
    clerk = Person.objects.get(user__username="vt.thpt1")
    page = login(clerk).get("/doan-vao/lich/").content.decode()
    visiting = InboundVisit.objects.get(status="visiting")
    assert visiting.reference in page
    coming = InboundVisit.objects.filter(status="approved", unit__code="THPT1").get()
    month = login(clerk).get(f"/doan-vao/lich/?view=month&date={coming.arrival_date}")
    assert coming.reference in month.content.decode()


def test_the_history_is_idempotent_and_the_same_on_every_run() -> None:
    before = sorted(OutboundRequest.objects.values_list("reference", "departure_date", "status"))
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Đã tạo 0, cập nhật 0" in out.getvalue()
    after = sorted(OutboundRequest.objects.values_list("reference", "departure_date", "status"))
    assert before == after
    assert len(after) == len(demo.TRIPS)
    assert InboundVisit.objects.count() == len(demo.VISITS)


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
    assert "Lê Minh Khoa" in client.get("/dang-o-nuoc-ngoai/").content.decode()
