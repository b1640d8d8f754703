"""``/api/v1/reporting-rounds/``: the Sở and the auditors see every round and every unit's
status; a unit sees the rounds it must report in with its own status only; anyone else 404."""

import datetime

import pytest
from django.utils import timezone

from approvals.record.rounds import unit_figures
from delegations.models import UnitReport
from tests.conftest import login
from workflow.services import reporting_round_open, unit_report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(org, dept_reviewer, clerk_a):
    today = timezone.localdate()
    both = reporting_round_open(
        actor=dept_reviewer.user, title="Báo cáo năm", period_from=today - datetime.timedelta(30),
        period_to=today, deadline=today + datetime.timedelta(days=10),
        units=[org.school_a, org.school_b],
    )  # fmt: skip
    only_b = reporting_round_open(
        actor=dept_reviewer.user, title="Báo cáo riêng trường B", period_from=today,
        period_to=today, deadline=today, units=[org.school_b],
    )  # fmt: skip
    report = UnitReport.objects.get(round=both, unit=org.school_a)
    unit_report_submit(
        actor=clerk_a.user, report=report, figures=unit_figures(both, org.school_a),
        narrative={"results": "Hoàn thành", "difficulties": "", "recommendations": ""},
    )  # fmt: skip
    return both, only_b


def ids(response):
    assert response.status_code == 200, response.content[:500]
    return [row["id"] for row in response.json()["results"]]


def test_a_school_sees_only_its_rounds_and_its_own_status(rounds, head_a, clerk_a, org):
    both, only_b = rounds
    client = login(clerk_a)
    assert ids(client.get("/api/v1/reporting-rounds/")) == [both.pk]
    refused = client.get(f"/api/v1/reporting-rounds/{only_b.pk}/")
    assert refused.status_code == 404 and refused["Content-Type"] == "application/json"
    assert "detail" in refused.json()
    detail = login(head_a).get(f"/api/v1/reporting-rounds/{both.pk}/").json()
    assert [s["unit"]["code"] for s in detail["submissions"]] == [org.school_a.code]
    mine = detail["submissions"][0]
    assert (mine["status"], mine["state"]) == ("submitted", "on_time")
    assert mine["submitted_at"] and mine["approved_at"] is None


def test_the_department_and_the_auditor_see_every_unit(rounds, dept_reviewer, auditor, org):
    both, only_b = rounds
    for person in (dept_reviewer, auditor):
        client = login(person)
        assert ids(client.get("/api/v1/reporting-rounds/")) == [only_b.pk, both.pk]
        detail = client.get(f"/api/v1/reporting-rounds/{both.pk}/").json()
        states = {s["unit"]["code"]: (s["status"], s["state"]) for s in detail["submissions"]}
        assert states == {
            org.school_a.code: ("submitted", "on_time"),
            org.school_b.code: ("pending", "not_yet"),
        }
        assert detail["deadline"] == both.deadline.isoformat()
        assert detail["template_url"] is None


def test_a_teacher_and_a_stranger_are_refused(rounds, teacher_a, client):
    both, _only_b = rounds
    assert client.get("/api/v1/reporting-rounds/").status_code in (401, 403)
    other = login(teacher_a)
    # The school reports through its clerk and head, not through each teacher.
    assert ids(other.get("/api/v1/reporting-rounds/")) == []
    for pk in (str(both.pk), "999999", "9" * 30):
        missing = other.get(f"/api/v1/reporting-rounds/{pk}/")
        assert missing.status_code == 404 and "detail" in missing.json()


def test_a_ward_outside_every_round_sees_none(rounds, ward_chair):
    client = login(ward_chair)
    assert ids(client.get("/api/v1/reporting-rounds/")) == []
    assert client.get(f"/api/v1/reporting-rounds/{rounds[0].pk}/").status_code == 404
    bad = client.get("/api/v1/reporting-rounds/?cursor=zzz")
    assert bad.status_code == 404 and "detail" in bad.json()
