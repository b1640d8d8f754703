"""The annual report on the demo data: every figure against counts computed here, by hand.

The demo directory (``seed_demo``) plus trips, a visit and MOUs made through the services: the
expected figures come from the scenario's own description below, never from the report code.
The period is 16/10 of the year before → 15/10 (the default ``ANNUAL_REPORT_PERIOD_START``).
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook

from approvals.record.reports import (
    LATE_REPORT,
    UNRETURNED_PASSPORT,
    annual_report,
    report_period,
    report_year_of,
)
from delegations.models import (
    Agreement,
    AgreementActivity,
    AgreementStatus,
    OutboundRequest,
    Partner,
)
from delegations.services.inbound import InboundInput, VisitorInput, inbound_create
from delegations.services.outbound import MemberInput, StopInput, outbound_create
from org import demo
from org.models import Passport, Person
from tests.delegations.outbound_helpers import outbound_input
from tests.flows import confirm_members, open_task
from workflow.services import (
    outbound_advance_by_dates,
    outbound_cancel,
    report_submit,
    request_submit,
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
    # Departs after 15/10: the next period's.
    ("THPT2", "gv.thpt2", ["gv.thpt2"], [("DE", 3)], D(YEAR, 10, 20), D(YEAR, 10, 22),
     "official", "study", "unit_revenue", 5_000_000, ["ht.thpt2", "cv.vp", "gd"], "approved"),
]  # fmt: skip
#: The trip (index in TRIPS) carried out under the school's MOU signed in the period.
MOU_TRIP = 0
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
    request_submit(actor=user(applicant), request=request)
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
    request_submit(actor=user(clerk), request=visit)
    for approver in approvers:
        task_complete(task_id=open_task(visit).pk, user=user(approver), action="approve")
    return visit


@pytest.fixture
def demo_year(settings):
    """Demo data, the scenario's trips and visit, one report handed in, one passport kept."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The directory only: the demo's past year would add to the figures counted by hand.
    call_command("seed_demo", force=True, without_history=True, stdout=io.StringIO())
    school_mou = Agreement.objects.create(
        partner=Partner.objects.get(name_en="Arizona State University"),
        unit=person("ht.thpt1").unit, title="Biên bản ghi nhớ trao đổi giáo viên",
        signed_on=D(YEAR, 6, 1),
    )  # fmt: skip
    # One activity in the period, one after it; an MOU that expires in the period (in force
    # at its start), one proposed (not counted), one that expired before the period.
    AgreementActivity.objects.create(
        agreement=school_mou, held_on=D(YEAR, 9, 1), description="Hội thảo trực tuyến"
    )
    AgreementActivity.objects.create(
        agreement=school_mou, held_on=D(YEAR, 11, 1), description="Trao đổi tài liệu"
    )
    incheon = Partner.objects.get(name_en="Incheon Metropolitan City Office of Education")
    Agreement.objects.create(
        partner=incheon, unit=person("ht.thpt2").unit, title="MOU hết hạn trong kỳ",
        signed_on=D(YEAR - 3, 1, 10), expires_on=D(YEAR, 1, 9),
    )  # fmt: skip
    Agreement.objects.create(
        partner=incheon, unit=person("ht.thpt2").unit, title="MOU đề xuất",
        status=AgreementStatus.PROPOSED,
    )  # fmt: skip
    Agreement.objects.create(
        partner=incheon, unit=person("ht.thpt2").unit, title="MOU hết hạn từ trước",
        signed_on=D(YEAR - 5, 1, 10), expires_on=D(YEAR - 2, 1, 9),
    )  # fmt: skip
    trips = []
    for i, t in enumerate(TRIPS):
        trips.append(make_trip(*t))
        if i == MOU_TRIP:
            OutboundRequest.objects.filter(pk=trips[-1].pk).update(agreement=school_mou)
    visits = [make_visit(*v) for v in VISITS]
    # Every approved trip goes and comes back by its dates; only the conference trip reports.
    outbound_advance_by_dates(today=D(YEAR, 12, 1))
    outbound_advance_by_dates(today=D(YEAR, 12, 2))
    conference = OutboundRequest.objects.get(pk=trips[1].pk)
    report_submit(actor=user("ht.thpt1"), request=conference, text="Đã dự hội thảo.")
    return trips, visits


def expected(units=None):
    """The figures, from the scenario's description only."""
    start, end = D(YEAR - 1, 10, 16), D(YEAR, 10, 15)
    in_period = [t for t in TRIPS if start <= t[4] <= end]
    approved_ = [t for t in in_period if t[11] == "approved" and (units is None or t[0] in units)]
    counted = [t for t in approved_ if t[6] == "official"]
    personal = [t for t in approved_ if t[6] == "personal"]
    people = [m for t in counted for m in t[2]]
    countries = sorted({c for t in counted for c, _days in t[3]})
    days = sum((t[5] - t[4]).days + 1 for t in counted)
    funding = {}
    for t in counted:
        entry = funding.setdefault(t[8], {"delegations": 0, "cost": 0})
        entry["delegations"] += 1
        entry["cost"] += t[9]
    visits = [v for v in VISITS if units is None or v[0] in units]
    # The Sở's nine demo MOUs are in force (no expiry), signed before the period.
    sos = len(demo.MOUS) if units is None else 0
    thpt1 = units is None or "THPT1" in units
    thpt2 = units is None or "THPT2" in units
    # THPT1's MOU: signed in the period, one free activity in it and the linked trip.
    # THPT2's: one expires in the period (in force at its start); the proposed one and the one
    # that expired before the period are not counted.
    mous_in_force = sos + thpt1 + thpt2
    # Officials with an official passport who travelled and did not hand it back: ht.thpt1.
    unreturned = [m for t in counted if t[6] == "official" for m in t[2] if m == "ht.thpt1"]
    # Reports not handed in: every approved trip but the conference (index 1 of TRIPS),
    # personal ones included.
    late = [t for t in counted + personal if t is not TRIPS[1]]
    by_purpose = {}
    for t in counted:
        by_purpose[t[7]] = by_purpose.get(t[7], 0) + 1
    # Violations: only the real failures. OUT-DAYS-PER-COUNTRY fails, as a warning, for the 5
    # days in Japan: a warning is never a violation, and no block was overridden.
    counts = {LATE_REPORT: len(late), UNRETURNED_PASSPORT: len(unreturned)}
    violations = {title: n for title, n in sorted(counts.items()) if n}
    return {
        "outbound_delegations": len(counted),
        "outbound_official": len(counted),
        "outbound_personal": len(personal),
        "personal_people": sum(len(t[2]) for t in personal),
        "by_purpose": by_purpose,
        "outbound_people": len(people),
        "outbound_distinct_people": len(set(people)),
        "outbound_countries": countries,
        "outbound_days": days,
        "funding": funding,
        "inbound_visits": len(visits),
        "inbound_visitors": sum(v[3] for v in visits),
        "inbound_countries": sorted({v[2] for v in visits}),
        "inbound_by_purpose": {"visit": len(visits)} if visits else {},
        "mous_in_force": mous_in_force,
        "mous_signed": int(thpt1),
        "mous_expired": int(thpt2),
        "mou_activities": 2 * thpt1,
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
    # The Sở holds the nine demo MOUs: it is a unit of the report.
    assert set(by_unit) == {"SGDDT", "THPT1", "THPT2"}
    assert by_unit["SGDDT"].mous_in_force == len(demo.MOUS)
    assert figures(by_unit["THPT1"]) == expected({"THPT1"})
    assert figures(by_unit["THPT2"]) == expected({"THPT2"})
    # Official departures only: March and May (the personal trip of July is apart).
    assert report.by_month[2] == 1 and report.by_month[4] == 1 and report.by_month[6] == 0
    assert report.deadline == D(YEAR, 10, 15)
    assert (report.period_from, report.period_to) == (D(YEAR - 1, 10, 16), D(YEAR, 10, 15))
    school = next(a for a in report.agreements if a.unit == "THPT1")
    assert [a["kind"] for a in school.activities] == ["outbound", "activity"]
    assert school.activities[0]["text"] == demo_year[0][MOU_TRIP].reference


def test_the_trip_after_the_deadline_counts_in_the_next_period(demo_year):
    following = annual_report(YEAR + 1, today=D(YEAR + 1, 12, 31))
    assert following.total.outbound_delegations == 1
    assert following.total.by_purpose == {"study": 1}
    # The school's MOU is still in force; its November activity is the next period's.
    school = next(a for a in following.agreements if a.unit == "THPT1")
    assert [a["text"] for a in school.activities] == ["Trao đổi tài liệu"]
    assert not school.signed_in_period


def test_demo_mous_are_signed_in_the_period_that_holds_their_date(demo_year):
    for year in (2019, 2023, 2026):
        signed = sum(report_year_of(m[2]) == year for m in demo.MOUS)
        assert annual_report(year).total.mous_signed == signed
    assert annual_report(2026).total.mous_signed == 1  # Gyeongsangbuk, 24/11/2025


def test_deadline_and_period_are_settings(settings, db):
    settings.ANNUAL_REPORT_DEADLINE = "12-10"
    assert annual_report(YEAR).deadline == D(YEAR, 12, 10)
    settings.ANNUAL_REPORT_PERIOD_START = "01-01"
    assert report_period(YEAR) == (D(YEAR, 1, 1), D(YEAR, 12, 31))
    settings.ANNUAL_REPORT_PERIOD_START = "12-15"
    assert report_period(YEAR) == (D(YEAR - 1, 12, 15), D(YEAR, 12, 14))
    assert report_year_of(D(YEAR, 12, 15)) == YEAR + 1


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
    assert summary["Số đoàn ra (công vụ)"] == expected()["outbound_delegations"]
    assert summary["Số chuyến đi việc riêng"] == expected()["outbound_personal"]
    assert summary["Kỳ báo cáo từ"].date() == D(YEAR - 1, 10, 16)
    assert summary["Số biên bản ghi nhớ có hiệu lực trong kỳ"] == expected()["mous_in_force"]
    purposes = list(workbook["Mục đích"].iter_rows(values_only=True))[1:]
    assert set(purposes) == {
        ("Hội nghị, hội thảo", 1, 0), ("Học tập, khảo sát", 1, 0), ("Thăm, giao lưu", 0, 1)
    }  # fmt: skip
    mous = list(workbook["Biên bản ghi nhớ"].iter_rows(values_only=True))[1:]
    assert len(mous) == expected()["mous_in_force"]
    assert summary["Số lượt khách"] == expected()["inbound_visitors"]
    page = client.get(f"/bao-cao/nam/?year={YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-figure="outbound_delegations">{expected()["outbound_delegations"]}<' in html
    assert 'class="bars__bar"' in html and "<svg" in html
    assert "Trường THPT Nguyễn Thị Minh Khai" in html
    assert f"Kỳ báo cáo từ 16/10/{YEAR - 1} đến 15/10/{YEAR}" in html


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
