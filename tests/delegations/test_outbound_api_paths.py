"""Every outbound path through the HTTP API: each route, each rejection, the trip's life."""

import datetime

import pytest
from django.utils import timezone

from approvals.models import AgencyNotification
from delegations.tasks import advance_trips_by_dates
from org.calendar import add_working_days
from tests.api_helpers import approve_all, detail, open_task, post
from tests.conftest import login
from tests.delegations.test_outbound_api import create, payload
from tests.factories import PassportFactory, make_staff

pytestmark = pytest.mark.django_db


def act(person, rid, action="approve", expect_step=None, **fields):
    client = login(person)
    task = open_task(client, rid)
    if expect_step:
        assert task["step"] == expect_step
    response = post(client, f"/api/v1/tasks/{task['id']}/complete/", {"action": action, **fields})
    assert response.status_code == 200, response.json()
    return response


def submitted(person, *members, **kwargs):
    client = login(person)
    rid = create(client, *(members or (person,)), **kwargs)["id"]
    response = post(client, f"/api/v1/outbound/{rid}/submit/", kwargs.pop("submit_body", None))
    assert response.status_code == 200, response.json()
    return rid


def test_ward_route_short_personal_trip_is_decided_by_the_ward_chair(
    org, ward_teacher, ward_head, ward_chair
):
    rid = submitted(
        ward_teacher,
        kind="personal",
        days=10,
        inviter={"name": "", "country": "", "is_enterprise": False, "named_invitation": False},
    )
    assert detail(login(ward_teacher), rid)["route"] == "WARD"
    act(ward_head, rid, expect_step="review_by_unit_head")
    act(ward_chair, rid, expect_step="decide_by_ward_chair")
    assert detail(login(ward_teacher), rid)["status"] == "approved"


def test_city_route_goes_through_ward_department_director_and_the_recorded_city_decision(
    org, ward_teacher, ward_head, ward_chair, dept_reviewer, director
):
    named = {"name": "Osaka Board of Education", "country": "JP", "named_invitation": True}
    rid = submitted(ward_teacher, kind="personal", days=10, inviter=named)  # → CITY
    assert detail(login(ward_teacher), rid)["route"] == "CITY"
    act(ward_head, rid, expect_step="review_by_unit_head")
    act(ward_chair, rid, expect_step="propose_by_ward_chair")
    act(dept_reviewer, rid, expect_step="review_by_department")
    act(director, rid, expect_step="propose_by_director")
    act(
        dept_reviewer,
        rid,
        "approve",
        expect_step="record_city_decision",
        outcome="approve",
        decision_number="1234/QĐ-UBND",
        decision_date="2026-11-20",
    )
    body = detail(login(ward_teacher), rid)
    assert body["status"] == "approved"
    assert body["decision_number"] == "1234/QĐ-UBND"


@pytest.mark.parametrize(
    "step", ["review_by_unit_head", "review_by_department", "decide_by_director"]
)
def test_rejection_at_each_department_step_ends_the_request(
    org, teacher_a, head_a, dept_reviewer, director, step
):
    rid = submitted(teacher_a)
    order = [
        ("review_by_unit_head", head_a),
        ("review_by_department", dept_reviewer),
        ("decide_by_director", director),
    ]
    for name, person in order:
        if name == step:
            act(person, rid, "reject", expect_step=name, comment="Không phù hợp kế hoạch")
            break
        act(person, rid, expect_step=name)
    body = detail(login(teacher_a), rid)
    assert body["status"] == "rejected"
    assert body["current_tasks"] == []


def test_ward_chair_rejection(org, ward_teacher, ward_head, ward_chair):
    rid = submitted(
        ward_teacher,
        kind="personal",
        days=10,
        inviter={"name": "", "country": "", "is_enterprise": False, "named_invitation": False},
    )
    act(ward_head, rid)
    act(ward_chair, rid, "reject", comment="Trùng kỳ thi")
    assert detail(login(ward_teacher), rid)["status"] == "rejected"


def test_city_rejection_is_recorded(org, teacher_a, head_a, dept_reviewer, director):
    rid = submitted(teacher_a, kind="personal", days=100)  # ≥ 3 months → CITY
    for person in (head_a, dept_reviewer, director):
        act(person, rid)
    act(
        dept_reviewer,
        rid,
        "reject",
        comment="UBND TP không đồng ý",
        outcome="reject",
        decision_number="99/UBND",
        decision_date="2026-11-20",
    )
    assert detail(login(teacher_a), rid)["status"] == "rejected"


def test_return_with_missing_items_then_resubmit_returns_to_the_same_reviewer(
    org, teacher_a, head_a, dept_reviewer, director
):
    rid = submitted(teacher_a)
    act(head_a, rid)
    client = login(dept_reviewer)
    task = open_task(client, rid)
    assert post(client, f"/api/v1/tasks/{task['id']}/claim/").status_code == 200
    act(
        dept_reviewer,
        rid,
        "return",
        comment="Thiếu thư mời",
        missing_items=["Thư mời có bản dịch", "Dự toán"],
    )
    applicant = login(teacher_a)
    body = detail(applicant, rid)
    assert body["status"] == "returned"
    assert body["decisions"][-1]["data"]["missing_items"] == ["Thư mời có bản dịch", "Dự toán"]
    assert (
        applicant.patch(
            f"/api/v1/outbound/{rid}/",
            {"work_programme": "Chương trình chi tiết"},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert post(applicant, f"/api/v1/outbound/{rid}/submit/").status_code == 200
    task = open_task(login(dept_reviewer), rid)
    assert task["step"] == "review_by_department" and task["assigned_to"] == "dept_reviewer"
    act(dept_reviewer, rid)
    act(director, rid)
    assert detail(applicant, rid)["status"] == "approved"


def test_withdraw_before_the_decision_and_not_after(org, teacher_a, head_a):
    rid = submitted(teacher_a)
    client = login(teacher_a)
    assert post(client, f"/api/v1/outbound/{rid}/withdraw/", {"reason": ""}).status_code == 400
    assert (
        post(client, f"/api/v1/outbound/{rid}/withdraw/", {"reason": "Đổi lịch"}).status_code == 200
    )
    assert detail(client, rid)["status"] == "withdrawn"
    assert post(client, f"/api/v1/outbound/{rid}/withdraw/", {"reason": "Lại"}).status_code == 409


@pytest.fixture
def approved(org, teacher_a, head_a, dept_reviewer, director, agencies):
    passport = PassportFactory(person=teacher_a, kind="official")
    client = login(teacher_a)
    body = payload(teacher_a)
    body["members"][0]["passport"] = passport.pk
    created = client.post("/api/v1/outbound/", body, content_type="application/json").json()
    rid = created["id"]
    assert post(client, f"/api/v1/outbound/{rid}/submit/").status_code == 200
    approve_all(rid, head_a, dept_reviewer, director)
    return rid


def test_cancel_after_approval_tells_the_agencies(teacher_a, approved):
    client = login(teacher_a)
    assert (
        post(client, f"/api/v1/outbound/{approved}/cancel/", {"reason": "Đối tác hoãn"}).status_code
        == 200
    )
    assert detail(client, approved)["status"] == "cancelled"
    assert (
        AgencyNotification.objects.filter(request_id=approved, reason="cancellation").count() == 2
    )


def test_extension_through_the_director(teacher_a, director, approved):
    client = login(teacher_a)
    old = datetime.date.fromisoformat(detail(client, approved)["return_date"])
    new = old + datetime.timedelta(days=2)
    response = post(
        client,
        f"/api/v1/outbound/{approved}/extension/",
        {"new_return_date": new.isoformat(), "reason": "Hội thảo kéo dài"},
    )
    assert response.status_code == 200, response.json()
    act(director, approved, expect_step="decide_extension_by_director")
    assert detail(client, approved)["return_date"] == new.isoformat()
    assert AgencyNotification.objects.filter(request_id=approved, reason="extension").count() == 2


def test_automatic_moves_then_report_returned_once_then_accepted_and_a_late_passport(
    teacher_a, dept_reviewer, approved, monkeypatch
):
    client = login(teacher_a)
    body = detail(client, approved)
    departure = datetime.date.fromisoformat(body["departure_date"])
    back = datetime.date.fromisoformat(body["return_date"])
    # Nobody confirms: the daily job moves the trip on the decision's dates.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: departure)
    assert advance_trips_by_dates() == 1
    assert detail(client, approved)["status"] == "travelling"
    after = back + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: after)
    assert advance_trips_by_dates() == 1
    body = detail(client, approved)
    assert body["status"] == "returned_home"
    assert body["report_due"] == (back + datetime.timedelta(days=15)).isoformat()

    assert (
        post(client, f"/api/v1/outbound/{approved}/report/", {"text": "Báo cáo sơ bộ"}).status_code
        == 200
    )
    act(dept_reviewer, approved, "return", expect_step="review_report", comment="Bổ sung số liệu")
    assert (
        post(client, f"/api/v1/outbound/{approved}/report/", {"text": "Báo cáo đầy đủ"}).status_code
        == 200
    )
    act(dept_reviewer, approved, "accept", expect_step="review_report")
    assert detail(client, approved)["status"] == "closed"

    due = datetime.date.fromisoformat(detail(client, approved)["members"][0]["passport_due_on"])
    assert due == add_working_days(back, 5)
    late_day = due + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: late_day)
    reviewer = login(dept_reviewer)
    response = post(
        reviewer,
        f"/api/v1/outbound/{approved}/passport-returned/",
        {"person": teacher_a.pk, "date": late_day.isoformat()},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["late"] is True


def test_confirmed_departure_and_return_by_the_traveller(teacher_a, approved, monkeypatch):
    client = login(teacher_a)
    body = detail(client, approved)
    departure = datetime.date.fromisoformat(body["departure_date"])
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: departure)
    assert (
        post(
            client, f"/api/v1/outbound/{approved}/departure/", {"date": departure.isoformat()}
        ).status_code
        == 200
    )
    assert (
        post(
            client, f"/api/v1/outbound/{approved}/return/", {"date": departure.isoformat()}
        ).status_code
        == 200
    )
    assert detail(client, approved)["status"] == "returned_home"


# --- The demo's rule-pack cases (DOMAIN.md §6) ---------------------------------------------


def rules_of(response):
    return {c["rule"] for c in response.json()["checks"]}


def test_enterprise_sponsored_trip_is_blocked(org, teacher_a):
    client = login(teacher_a)
    rid = create(client, teacher_a, sponsored_by_enterprise=True, funding_source="enterprise")["id"]
    response = post(client, f"/api/v1/outbound/{rid}/submit/")
    assert response.status_code == 422
    assert "OUT-ENTERPRISE" in rules_of(response)
    assert detail(client, rid)["status"] == "draft"


def test_two_key_leaders_of_one_school_are_blocked(org, clerk_a, head_a):
    deputy = make_staff("deputy_a", org.school_a, position="Phó Hiệu trưởng", is_key_leader=True)
    client = login(clerk_a)
    rid = create(client, head_a, deputy)["id"]
    response = post(client, f"/api/v1/outbound/{rid}/submit/")
    assert response.status_code == 422
    assert "OUT-KEY-LEADERS" in rules_of(response)


def test_third_official_trip_needs_a_justification_and_goes_one_level_up(org, teacher_a):
    client = login(teacher_a)
    for month in (3, 5):
        rid = create(client, teacher_a, departure=datetime.date(2027, month, 3))["id"]
        assert post(client, f"/api/v1/outbound/{rid}/submit/").status_code == 200
    rid = create(client, teacher_a, departure=datetime.date(2027, 9, 6))["id"]
    response = post(client, f"/api/v1/outbound/{rid}/submit/")
    assert response.status_code == 422
    assert "OUT-ANNUAL-QUOTA" in rules_of(response)
    response = post(
        client,
        f"/api/v1/outbound/{rid}/submit/",
        {"justifications": {"OUT-ANNUAL-QUOTA": "Trưởng nhóm chuyên môn của dự án"}},
    )
    assert response.status_code == 200, response.json()
    body = detail(client, rid)
    assert body["route"] == "CITY"  # one level up from DEPT
    assert body["justifications"][0]["rule"] == "OUT-ANNUAL-QUOTA"


def test_late_submission_needs_a_justification(org, teacher_a):
    client = login(teacher_a)
    soon = add_working_days(datetime.date.today(), 5)
    rid = create(client, teacher_a, departure=soon)["id"]
    response = post(client, f"/api/v1/outbound/{rid}/submit/")
    assert response.status_code == 422
    assert rules_of(response) == {"OUT-LEAD-TIME"}
    response = post(
        client,
        f"/api/v1/outbound/{rid}/submit/",
        {"justifications": {"OUT-LEAD-TIME": "Thư mời đến muộn"}},
    )
    assert response.status_code == 200
