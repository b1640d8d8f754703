"""The annual report on the demo data: every figure against counts computed here, by hand.

The demo directory (``seed_demo``) plus trips and a visit made through the services: the
expected figures come from the scenario's own description below, never from the report code.
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook

from approvals.record.reports import LATE_REPORT, UNRETURNED_PASSPORT, annual_report
from delegations.models import Agreement, OutboundRequest, Partner
from delegations.services.inbound import InboundInput, VisitorInput, inbound_create
from delegations.services.outbound import MemberInput, StopInput, outbound_create
from org import demo
from org.models import Passport, Person
from tests.delegations.outbound_helpers import outbound_input
from tests.flows import confirm_members, open_task
from workflow.services import (
    inbound_submit,
    outbound_advance_by_dates,
    outbound_cancel,
    outbound_submit,
    outbound_submit_report,
    task_complete,
)

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year + 1
D = datetime.date

# (unit, applicant, members, stops [(country, days)], departure, return, kind, category,
#  funding, cost, approvers, outcome). Approvers act in turn; outcome: approved / rejected /
#  cancelled. "ht.thpt1" applies for herself, so her unit-head step is skipped.
TRIPS = [
    ("THPT1", "gv.thpt1", ["gv.thpt1", "gv2.thpt1"], [("JP", 5)], D(YEAR, 3, 2), D(YEAR, 3, 6),
     "official", "study", "unit_revenue", 120_000_000, ["ht.thpt1", "cv.vp", "gd"], "approved"),
    ("THPT1", "ht.thpt1", ["ht.thpt1"], [("KR", 3), ("SG", 2)], D(YEAR, 5, 4), D(YEAR, 5, 8),
     "official", "conference", "state_budget", 80_000_000, ["cv.vp", "pgd"], "approved"),
    ("THPT2", "gv.thpt2", ["gv.thpt2"], [("TH", 3)], D(YEAR, 7, 6), D(YEAR, 7, 8),
     "personal", "tourism", "self", 0, ["ht.thpt2", "cv.vp", "gd"], "approved"),
    ("THPT2", "gv.thpt2", ["gv.thpt2"], [("JP", 2)], D(YEAR, 9, 7), D(YEAR, 9, 8),
     "official", "exchange", "unit_revenue", 10_000_000, ["ht.thpt2"], "rejected"),
    ("THPT1", "gv2.thpt1", ["gv2.thpt1"], [("FR", 3)], D(YEAR, 10, 5), D(YEAR, 10, 7),
     "official", "training", "foreign_partner", 0, ["ht.thpt1", "cv.vp", "gd"], "cancelled"),
]  # fmt: skip
#: Visits: (host, clerk, country, visitors, arrival, departure, approvers).
VISITS = [
    ("THPT1", "vt.thpt1", "KR", 2, D(YEAR, 4, 13), D(YEAR, 4, 14), ["ht.thpt1", "cv.vp", "gd"])
]


def person(username):
    return Person.objects.select_related("unit").get(user__username=username)


def passport_of(traveller):
    passports = Passport.objects.filter(person=traveller)
    return passports.filter(kind="official").first() or passports.get(kind="ordinary")


def user(username):
    return get_user_model().objects.get(username=username)


def make_trip(unit, applicant, members, stops, dep, ret, kind, category, funding, cost,
              approvers, outcome):  # fmt: skip
    data = outbound_input(
        *[person(m) for m in members], kind=kind, departure=dep, days=(ret - dep).days + 1
    )
    data.purpose_category, data.funding_source, data.estimated_cost = category, funding, cost
    data.itinerary = [StopInput(country=c, days=n, cities="") for c, n in stops]
    # Each traveller uses their official passport when they have one, else the ordinary one.
    data.members = [
        MemberInput(
            person_id=person(m).pk, role="head" if i == 0 else "member",
            passport_id=passport_of(person(m)).pk,
        )
        for i, m in enumerate(members)
    ]  # fmt: skip
    request = outbound_create(actor=user(applicant), data=data)
    confirm_members(request)
    outbound_submit(actor=user(applicant), request=request)
    for i, approver in enumerate(approvers):
        last = i == len(approvers) - 1
        action = "reject" if outcome == "rejected" and last else "approve"
        task_complete(task_id=open_task(request).pk, user=user(approver), action=action,
                      comment="Không phù hợp kế hoạch" if action == "reject" else "")  # fmt: skip
    if outcome == "cancelled":
        outbound_cancel(actor=user(applicant), request=request, reason="Đối tác hoãn")
    request.refresh_from_db()
    return request


def make_visit(host, clerk, country, visitors, arrival, departure, approvers):
    data = InboundInput(
        organisation="Incheon Metropolitan City Office of Education", country=country,
        purpose_category="visit", purpose="Giao lưu giáo viên", arrival_date=arrival,
        departure_date=departure, accommodation_kind="hotel", accommodation_address="Khách sạn",
        visitors=[
            VisitorInput(full_name=f"Kim Min {i}", nationality=country,
                         passport_number=f"M{i:07d}", passport_expiry=D(YEAR + 5, 1, 1),
                         date_of_birth=D(1980, 1, 1 + i))
            for i in range(visitors)
        ],
    )  # fmt: skip
    visit = inbound_create(actor=user(clerk), data=data)
    inbound_submit(actor=user(clerk), visit=visit)
    for approver in approvers:
        task_complete(task_id=open_task(visit).pk, user=user(approver), action="approve")
    return visit


@pytest.fixture
def demo_year(settings):
    """Demo data, the scenario's trips and visit, one report handed in, one passport kept."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", force=True, stdout=io.StringIO())
    Agreement.objects.create(
        partner=Partner.objects.get(name_en="Arizona State University"),
        unit=person("ht.thpt1").unit, title="Biên bản ghi nhớ trao đổi giáo viên",
        signed_on=D(YEAR, 6, 1),
    )  # fmt: skip
    trips = [make_trip(*t) for t in TRIPS]
    visits = [make_visit(*v) for v in VISITS]
    # Every approved trip goes and comes back by its dates; only the conference trip reports.
    outbound_advance_by_dates(today=D(YEAR, 12, 1))
    outbound_advance_by_dates(today=D(YEAR, 12, 2))
    conference = OutboundRequest.objects.get(pk=trips[1].pk)
    outbound_submit_report(actor=user("ht.thpt1"), request=conference, text="Đã dự hội thảo.")
    return trips, visits


def expected(units=None):
    """The figures, from the scenario's description only."""
    counted = [t for t in TRIPS if t[11] == "approved" and (units is None or t[0] in units)]
    people = [m for t in counted for m in t[2]]
    countries = sorted({c for t in counted for c, _days in t[3]})
    days = sum((t[5] - t[4]).days + 1 for t in counted)
    funding = {}
    for t in counted:
        entry = funding.setdefault(t[8], {"delegations": 0, "cost": 0})
        entry["delegations"] += 1
        entry["cost"] += t[9]
    visits = [v for v in VISITS if units is None or v[0] in units]
    mous = [m for m in demo.MOUS if m[2].year == YEAR] if units is None else []
    # Officials with an official passport who travelled and did not hand it back: ht.thpt1.
    unreturned = [m for t in counted if t[6] == "official" for m in t[2] if m == "ht.thpt1"]
    # Reports not handed in: every approved trip but the conference (index 1 of TRIPS).
    late = [t for t in counted if t is not TRIPS[1]]
    # Violations: only the real failures. OUT-DAYS-PER-COUNTRY fails, as a warning, for the 5
    # days in Japan: a warning is never a violation, and no block was overridden.
    counts = {LATE_REPORT: len(late), UNRETURNED_PASSPORT: len(unreturned)}
    violations = {title: n for title, n in sorted(counts.items()) if n}
    return {
        "outbound_delegations": len(counted),
        "outbound_official": sum(t[6] == "official" for t in counted),
        "outbound_personal": sum(t[6] == "personal" for t in counted),
        "outbound_people": len(people),
        "outbound_distinct_people": len(set(people)),
        "outbound_countries": countries,
        "outbound_days": days,
        "funding": funding,
        "inbound_visits": len(visits),
        "inbound_visitors": sum(v[3] for v in visits),
        "inbound_countries": sorted({v[2] for v in visits}),
        "mous_signed": len(mous) + (1 if units is None or "THPT1" in units else 0),
        "conferences_abroad": sum(t[7] == "conference" for t in counted),
        "conferences_held": 0,
        "late_reports": len(late),
        "unreturned_passports": len(unreturned),
        "violations_by_rule": violations,
    }


def figures(f):
    return {key: getattr(f, key) for key in expected()}


def test_annual_report_matches_the_scenario_counted_by_hand(demo_year):
    report = annual_report(YEAR, today=D(YEAR, 12, 31))
    assert figures(report.total) == expected()
    by_unit = {f.unit: f for f in report.units}
    assert set(by_unit) == {"THPT1", "THPT2"}
    assert figures(by_unit["THPT1"]) == expected({"THPT1"})
    assert figures(by_unit["THPT2"]) == expected({"THPT2"})
    assert report.by_month[2] == 1 and report.by_month[4] == 1 and report.by_month[6] == 1
    assert report.deadline == D(YEAR, 10, 15)


def test_demo_mous_are_counted_in_the_year_they_were_signed(demo_year):
    for year in (2019, 2023, 2025):
        assert annual_report(year).total.mous_signed == sum(m[2].year == year for m in demo.MOUS)


def test_deadline_is_a_setting(settings, db):
    settings.ANNUAL_REPORT_DEADLINE = "12-10"
    assert annual_report(YEAR).deadline == D(YEAR, 12, 10)


def test_auditor_gets_the_report_as_json_xlsx_and_a_page_with_charts(demo_year, client):
    client.force_login(user("thanhtra"))
    body = client.get(f"/api/v1/reports/annual/?year={YEAR}").json()
    assert body["year"] == YEAR and body["deadline"] == f"{YEAR}-10-15"
    assert body["total"]["outbound_delegations"] == expected()["outbound_delegations"]
    assert body["total"]["inbound_visitors"] == expected()["inbound_visitors"]
    workbook_response = client.get(f"/api/v1/reports/annual/?year={YEAR}&format=xlsx")
    assert workbook_response.status_code == 200
    assert workbook_response["Content-Disposition"].endswith(f'bao-cao-doi-ngoai-{YEAR}.xlsx"')
    workbook = load_workbook(io.BytesIO(workbook_response.content))
    assert workbook.sheetnames[:3] == ["Tổng hợp", "Theo đơn vị", "Quốc gia"]
    summary = {row[0]: row[1] for row in workbook["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Số đoàn ra"] == expected()["outbound_delegations"]
    assert summary["Số lượt khách"] == expected()["inbound_visitors"]
    page = client.get(f"/bao-cao/nam/?year={YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-figure="outbound_delegations">{expected()["outbound_delegations"]}<' in html
    assert 'class="bars__bar"' in html and "<svg" in html
    assert "Trường THPT Nguyễn Thị Minh Khai" in html


def test_a_principal_sees_only_her_schools_report(demo_year, client):
    client.force_login(user("ht.thpt2"))
    body = client.get(f"/api/v1/reports/annual/?year={YEAR}").json()
    assert [u["unit"] for u in body["units"]] == ["THPT2"]
    assert body["total"]["outbound_delegations"] == expected({"THPT2"})["outbound_delegations"]
    assert client.get(f"/api/v1/reports/annual/?year={YEAR}&unit=THPT1").status_code == 404
    client.force_login(user("gv.thpt1"))  # a teacher reads no unit's records
    assert client.get(f"/api/v1/reports/annual/?year={YEAR}").status_code == 403
    assert client.get("/bao-cao/nam/").status_code == 403


def test_bad_year_or_format_is_a_400(demo_year, client):
    client.force_login(user("thanhtra"))
    assert client.get("/api/v1/reports/annual/?year=abc").status_code == 400
    assert client.get("/api/v1/reports/annual/?format=pdf").status_code == 400


def test_dashboard_shows_this_year_and_the_deadline(demo_year, client):
    client.force_login(user("thanhtra"))
    page = client.get("/bao-cao/")
    assert page.status_code == 200
    assert "Hạn các đơn vị báo cáo năm" in page.content.decode()


def test_a_teacher_opening_the_dashboard_sees_who_is_abroad_but_no_figures(demo_year, client):
    client.force_login(user("gv.thpt1"))
    page = client.get("/bao-cao/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đang ở nước ngoài hôm nay" in html and 'data-figure="' not in html
