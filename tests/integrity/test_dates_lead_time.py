"""Dates (issue #15, problem 5): OUT-LEAD-TIME runs from the FIRST submission, stamped on the
request, so a dossier filed 34 working days early never reads "only 9 days left" later."""

import pytest
from django.utils import timezone

from approvals.models import RuleStamp
from org.calendar import add_working_days
from tests.api_helpers import complete, detail, open_task, post
from tests.conftest import login
from tests.delegations.test_outbound_api import create

pytestmark = pytest.mark.django_db


def on(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


def lead_time(rid):
    stamp = RuleStamp.objects.filter(request_kind="outbound", request_id=rid).latest("pk")
    check = next(c for c in stamp.checks["checks"] if c["rule"] == "OUT-LEAD-TIME")
    return stamp.stage, check


def test_lead_time_stays_measured_from_the_first_submission_through_decisions_and_returns(
    org, teacher_a, head_a, dept_reviewer, monkeypatch
):
    filed = timezone.localdate()
    departure = add_working_days(filed, 34)
    client = login(teacher_a)
    rid = create(client, teacher_a, departure=departure)["id"]
    assert post(client, f"/api/v1/outbound/{rid}/submit/").status_code == 200
    stage, check = lead_time(rid)
    assert stage == "submit" and check["passed"]
    assert f"{filed:%d/%m/%Y}" in check["message_vi"]

    # 25 working days later the head decides: 9 working days are left, but the dossier was
    # filed in time and the decision's stamp says so.
    on(monkeypatch, add_working_days(filed, 25))
    assert complete(login(head_a), rid).status_code == 200
    stage, check = lead_time(rid)
    assert stage == "review_by_unit_head" and check["passed"], check
    assert "chỉ còn" not in check["message_vi"] and f"{filed:%d/%m/%Y}" in check["message_vi"]

    # Returned and resubmitted even later: still measured from the first submission.
    reviewer = login(dept_reviewer)
    task = open_task(reviewer, rid)
    assert post(reviewer, f"/api/v1/tasks/{task['id']}/claim/").status_code == 200
    returned = complete(reviewer, rid, "return", comment="Thiếu thư mời", missing_items=["Thư mời"])
    assert returned.status_code == 200, returned.json()
    on(monkeypatch, add_working_days(filed, 30))
    assert post(client, f"/api/v1/outbound/{rid}/submit/").status_code == 200
    stage, check = lead_time(rid)
    assert stage == "resubmit" and check["passed"], check
    checks = {c["rule"]: c for c in detail(client, rid)["checks"]}
    assert checks["OUT-LEAD-TIME"]["passed"]


def test_a_dossier_first_filed_late_still_needs_its_justification(org, teacher_a):
    client = login(teacher_a)
    rid = create(client, teacher_a, departure=add_working_days(timezone.localdate(), 9))["id"]
    response = post(client, f"/api/v1/outbound/{rid}/submit/")
    assert response.status_code == 422
    assert "chỉ còn 9 ngày làm việc" in str(response.json())
