"""Approval-chain integrity (issue #15): roles only, the head's step, approvals bound to the
dossier they approved, every step has someone. Through the API, the pages and the services."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from approvals.models import Decision
from approvals.permissions import sync_unit_permissions
from delegations.models import OutboundRequest
from delegations.services.outbound import outbound_update
from org.models import Person, RoleAssignment
from tests.api_helpers import detail, post
from tests.conftest import login
from tests.delegations.outbound_helpers import outbound_input
from tests.factories import make_acting, make_staff
from tests.flows import confirm_members, draft, open_task, submit
from workflow.services import task_complete

pytestmark = pytest.mark.usefixtures("step_holders_required")


def superuser_client() -> Client:
    get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = Client()
    client.force_login(get_user_model().objects.get(username="root"))
    return client


def approve(task_person: Person, request: Any, step: str) -> None:
    assert task_person.user is not None
    task_complete(task_id=open_task(request, step).pk, user=task_person.user, action="approve")


def test_superuser_can_claim_or_decide_no_step(org, teacher_a, head_a, dept_reviewer, director):
    root = superuser_client()
    request = draft(teacher_a)
    submit(request, teacher_a)
    for step, person in (
        ("review_by_unit_head", head_a),
        ("review_by_department", dept_reviewer),
        ("decide_by_director", director),
    ):
        task = open_task(request, step)
        assert post(root, f"/api/v1/tasks/{task.pk}/claim/").status_code in (403, 404)
        refused = post(root, f"/api/v1/tasks/{task.pk}/complete/", {"action": "approve"})
        assert refused.status_code in (403, 404)
        page = root.post(f"/viec/{task.pk}/", {"action": "approve"})
        assert page.status_code in (403, 404)
        assert not Decision.objects.filter(task_id=task.pk).exists()
        approve(person, request, step)
    request.refresh_from_db()
    assert request.status == "approved"
    assert not Decision.objects.filter(actor__username="root").exists()


def test_superuser_sees_no_task_in_the_queue(org, teacher_a, head_a, dept_reviewer, director):
    root = superuser_client()
    submit(draft(teacher_a), teacher_a)
    assert root.get("/api/v1/tasks/?scope=queue").json()["results"] == []


def test_head_named_as_member_does_not_skip_the_head_step(
    org, teacher_a, head_a, dept_reviewer, director
):
    request = draft(teacher_a, teacher_a, head_a)
    confirm_members(request)
    submit(request, teacher_a)
    task = open_task(request, "review_by_unit_head")
    # Nobody acts for the travelling head: the department (managing authority) takes the step.
    assert task.owner_permission == "org.review_for_department"
    head_client = login(head_a)
    assert post(head_client, f"/api/v1/tasks/{task.pk}/claim/").status_code in (403, 404)
    page = login(dept_reviewer).get(f"/viec/{task.pk}/").content.decode()
    assert 'id="head-step-note"' in page
    approve(dept_reviewer, request, "review_by_unit_head")
    assert Decision.objects.get(step="review_by_unit_head").actor == dept_reviewer.user


def _return_by_department(request: Any, reviewer: Person) -> None:
    assert reviewer.user is not None
    task_complete(
        task_id=open_task(request, "review_by_department").pk,
        user=reviewer.user,
        action="return",
        comment="Bổ sung",
        fields={"missing_items": ["Thư mời"]},
    )


def test_principal_removed_after_a_return_goes_back_to_the_head(
    org, teacher_a, head_a, dept_reviewer, director
):
    request = draft(teacher_a, teacher_a, head_a)
    confirm_members(request)
    submit(request, teacher_a)
    approve(dept_reviewer, request, "review_by_unit_head")
    _return_by_department(request, dept_reviewer)
    assert teacher_a.user is not None
    outbound_update(
        actor=teacher_a.user,
        request=OutboundRequest.objects.get(pk=request.pk),
        data=outbound_input(teacher_a),
    )
    submit(request, teacher_a)
    task = open_task(request, "review_by_unit_head")
    assert task.owner_permission == "org.approve_as_unit_head"
    approve(head_a, request, "review_by_unit_head")
    approve(dept_reviewer, request, "review_by_department")
    approve(director, request, "decide_by_director")
    request.refresh_from_db()
    assert request.status == "approved"
    standing = Decision.objects.get(step="review_by_unit_head", lapsed_at__isnull=True)
    assert standing.actor == head_a.user


def test_rewritten_dossier_lapses_the_heads_approval_and_goes_back_to_the_head(
    org, teacher_a, head_a, dept_reviewer, director
):
    request = draft(teacher_a)
    submit(request, teacher_a)
    approve(head_a, request, "review_by_unit_head")
    _return_by_department(request, dept_reviewer)
    assert teacher_a.user is not None
    rewritten = outbound_input(teacher_a, days=80, estimated_cost=10**10)
    rewritten.itinerary[0].country = "US"
    outbound_update(
        actor=teacher_a.user, request=OutboundRequest.objects.get(pk=request.pk), data=rewritten
    )
    submit(request, teacher_a)
    assert open_task(request, "review_by_unit_head").owner_permission == (
        "org.approve_as_unit_head"
    )
    body = detail(login(teacher_a), request.pk)
    head = next(a for a in body["approvals"] if a["step"] == "review_by_unit_head")
    assert head["stands"] is False and head["changed"]
    page = login(teacher_a).get(f"/doan-ra/{request.pk}/").content.decode()
    assert 'id="approvals"' in page and "approval--lapsed" in page


def test_unchanged_dossier_returns_to_the_reviewer(org, teacher_a, head_a, dept_reviewer, director):
    request = draft(teacher_a)
    submit(request, teacher_a)
    approve(head_a, request, "review_by_unit_head")
    _return_by_department(request, dept_reviewer)
    submit(request, teacher_a)
    task = open_task(request, "review_by_department")
    assert task.owner == dept_reviewer.user
    assert Decision.objects.get(step="review_by_unit_head").lapsed_at is None


def test_submission_refused_when_a_step_has_no_holder(org, teacher_a, head_a, dept_reviewer):
    RoleAssignment.objects.filter(role__in=("director", "deputy_director")).delete()
    request = draft(teacher_a)
    response = post(login(teacher_a), f"/api/v1/outbound/{request.pk}/submit/")
    assert response.status_code == 400
    assert "Giám đốc" in str(response.json()) or "Director" in str(response.json())
    request.refresh_from_db()
    assert request.status == "draft"


def test_head_travelling_goes_to_the_person_acting_for_the_head(
    org, teacher_a, head_a, dept_reviewer, director
):
    deputy = make_staff("deputy_a", org.school_a, full_name="Phó Hiệu trưởng")
    today = datetime.date.today()
    make_acting(
        deputy.user, head_a.user, org.school_a, on=today, until=today + datetime.timedelta(days=30)
    )
    assert deputy.user is not None
    sync_unit_permissions(deputy.user)
    request = draft(teacher_a, teacher_a, head_a)
    confirm_members(request)
    submit(request, teacher_a)
    task = open_task(request, "review_by_unit_head")
    assert task.owner == deputy.user
    approve(deputy, request, "review_by_unit_head")
    assert Decision.objects.get(step="review_by_unit_head").acting_for == head_a.user
