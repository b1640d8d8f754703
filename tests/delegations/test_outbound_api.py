"""Outbound requests through the HTTP API: every path a client can walk."""

import datetime

import pytest
from django.test import Client

from tests.api_helpers import approve_all, complete, post
from tests.conftest import login
from tests.delegations.outbound_helpers import far_departure

pytestmark = pytest.mark.django_db


def payload(*people, kind="official", departure=None, days=5, **extra):
    departure = departure or far_departure()
    body = {
        "kind": kind,
        "purpose": "Khảo sát giáo dục STEM",
        "purpose_category": "study" if kind == "official" else "tourism",
        "departure_date": departure.isoformat(),
        "return_date": (departure + datetime.timedelta(days=days - 1)).isoformat(),
        "members": [
            {"person": p.pk, "role": "head" if i == 0 else "member"} for i, p in enumerate(people)
        ],
        "itinerary": [{"country": "JP", "days": min(days, 3), "cities": "Osaka"}],
        # No inviter by default (OUT-INVITATION wants the invitation attached when one is named).
        "inviter": {"name": "", "country": "", "is_enterprise": False, "named_invitation": False},
        "funding_source": "unit_revenue" if kind == "official" else "self",
        "estimated_cost": 120000000,
        "presentation_abroad": False,
    }
    body.update(extra)
    return body


def create(client, *people, **kwargs):
    response = client.post(
        "/api/v1/outbound/", payload(*people, **kwargs), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_teacher_files_draft_and_reference_is_null_until_submission(org, teacher_a):
    client = login(teacher_a)
    created = create(client, teacher_a)
    assert created["reference"] is None and created["status"] == "draft"
    response = post(client, f"/api/v1/outbound/{created['id']}/submit/")
    assert response.status_code == 200, response.json()
    assert response.json()["reference"] == f"THPT-A/ĐR/{datetime.date.today().year}/0001"
    assert response.json()["route"] == "DEPT"


def test_checks_preview_names_the_deciders_in_order(
    org, teacher_a, head_a, dept_reviewer, director
):
    client = login(teacher_a)
    created = create(client, teacher_a)
    preview = client.get(f"/api/v1/outbound/{created['id']}/checks/").json()
    assert preview["route"] == "DEPT"
    roles = [step["role"] for step in preview["approvers"]]
    assert roles[0] == "unit_head" and "director" in roles[-1]
    assert any(p["username"] == "head_a" for p in preview["approvers"][0]["people"])
    assert preview["expected_decision_on"]


def test_full_dept_approval_through_the_api(org, teacher_a, head_a, dept_reviewer, director):
    created = create(login(teacher_a), teacher_a)
    rid = created["id"]
    assert post(login(teacher_a), f"/api/v1/outbound/{rid}/submit/").status_code == 200
    approve_all(rid, head_a, dept_reviewer, director)
    detail = login(teacher_a).get(f"/api/v1/outbound/{rid}/").json()
    assert detail["status"] == "approved"
    actions = [event["action"] for event in detail["history"]]
    assert "outbound.approved" in actions and "outbound.submitted" in actions


def test_head_of_other_school_gets_404_for_request_and_its_task(org, teacher_a, head_a, head_b):
    created = create(login(teacher_a), teacher_a)
    rid = created["id"]
    post(login(teacher_a), f"/api/v1/outbound/{rid}/submit/")
    task_id = login(head_a).get(f"/api/v1/outbound/{rid}/").json()["current_tasks"][0]["id"]
    client = login(head_b)
    assert client.get(f"/api/v1/outbound/{rid}/").status_code == 404
    assert client.get(f"/api/v1/outbound/{rid}/checks/").status_code == 404
    assert (
        post(client, f"/api/v1/tasks/{task_id}/complete/", {"action": "approve"}).status_code == 404
    )
    assert client.get("/api/v1/outbound/").json()["results"] == []


def test_double_completion_gives_409(org, teacher_a, head_a):
    rid = create(login(teacher_a), teacher_a)["id"]
    post(login(teacher_a), f"/api/v1/outbound/{rid}/submit/")
    client = login(head_a)
    task_id = client.get(f"/api/v1/outbound/{rid}/").json()["current_tasks"][0]["id"]
    assert (
        post(client, f"/api/v1/tasks/{task_id}/complete/", {"action": "approve"}).status_code == 200
    )
    second = post(client, f"/api/v1/tasks/{task_id}/complete/", {"action": "approve"})
    assert second.status_code == 409
    assert "detail" in second.json()


def test_reject_needs_a_comment(org, teacher_a, head_a):
    rid = create(login(teacher_a), teacher_a)["id"]
    post(login(teacher_a), f"/api/v1/outbound/{rid}/submit/")
    response = complete(login(head_a), rid, action="reject")
    assert response.status_code == 400
    assert "comment" in response.json()["errors"]
    response = complete(login(head_a), rid, action="reject", comment="Không phù hợp")
    assert response.status_code == 200
    assert login(teacher_a).get(f"/api/v1/outbound/{rid}/").json()["status"] == "rejected"


def test_invalid_payload_gets_400_with_field_errors(org, teacher_a):
    response = login(teacher_a).post(
        "/api/v1/outbound/", {"kind": "holiday"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


def test_edit_only_while_draft_or_returned(org, teacher_a, head_a):
    client = login(teacher_a)
    rid = create(client, teacher_a)["id"]
    response = client.patch(
        f"/api/v1/outbound/{rid}/", {"purpose": "Mục đích mới"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["purpose"] == "Mục đích mới"
    post(client, f"/api/v1/outbound/{rid}/submit/")
    response = client.patch(
        f"/api/v1/outbound/{rid}/", {"purpose": "Khác"}, content_type="application/json"
    )
    assert response.status_code == 409


def test_unauthenticated_gets_401(db):
    assert Client().get("/api/v1/outbound/").status_code == 401
