"""The request page and the task page stay within 20 queries, whatever the dossier's size.

QUALITY.md P3 (issue 14): a page reads each table once, never once per member, attachment,
task or history row. Each page is opened once to warm the per-process caches (the
jurisdiction row, content types), as on a running server, then counted; a small dossier and
a large one (ten times the members, visitors, attachments and returns, so more tasks and a
longer history) must cost the same. That holds for a draft or returned dossier too, whose page
carries the rule pack's live preview (its facts and approvers), for its edit page and for the
preview the edit form asks for.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from delegations.services.attachments import attachment_add
from delegations.services.inbound import VisitorInput
from org.models import Person
from tests.conftest import Org, login
from tests.delegations.outbound_helpers import far_departure
from tests.factories import make_staff
from tests.flows import confirm_members, draft, draft_visit, open_task, submit
from workflow.services import request_submit, task_complete

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 20
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SMALL, LARGE = 2, 20
MISSING = {"missing_items": ["Thư mời có bản dịch"]}


def _count(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _assert_flat_and_within_budget(counts: dict[int, dict[str, int]]) -> None:
    """Each page costs as many queries with twenty of everything as with two, and no page
    passes the budget."""
    assert counts[LARGE] == counts[SMALL]
    over = {page: n for page, n in counts[LARGE].items() if n > PAGE_BUDGET}
    assert not over, counts[LARGE]


def _attach(actor: Person, request: Any, count: int) -> None:
    for i in range(count):
        attachment_add(
            actor=actor.user,
            request=request,
            kind="other",
            upload=SimpleUploadedFile(f"tai-lieu-{i}.pdf", PDF),
        )


def _trip_at_director(org: Org, size: int, teacher: Person, head: Person, reviewer: Person) -> Any:
    """A trip of ``size`` travellers and attachments, returned by the department ``size // 5``
    times (tasks and history grow with it), now waiting for the Director."""
    people = [
        make_staff(f"tv{size}_{i}", org.school_a, full_name=f"Giáo viên {i}") for i in range(size)
    ]
    # Its own dates: the applicant travels on both trips, which may not overlap.
    request = draft(teacher, teacher, *people, passports=True, departure=far_departure(40 + size))
    _attach(teacher, request, size)
    confirm_members(request)
    submit(request, teacher)
    task_complete(task_id=open_task(request).pk, user=head.user, action="approve")
    for _ in range(size // 5):
        task_complete(
            task_id=open_task(request).pk,
            user=reviewer.user,
            action="return",
            comment="Bổ sung",
            fields=MISSING,
        )
        request_submit(actor=teacher.user, request=request)
    task_complete(task_id=open_task(request).pk, user=reviewer.user, action="approve")
    return request


def test_request_and_task_pages_cost_the_same_for_two_or_twenty_of_everything(
    org, teacher_a, head_a, dept_reviewer, director, auditor
):
    viewers = {
        "applicant": teacher_a,
        "head": head_a,
        "reviewer": dept_reviewer,
        "director": director,
        "auditor": auditor,
    }
    counts: dict[int, dict[str, int]] = {}
    for size in (SMALL, LARGE):
        trip = _trip_at_director(org, size, teacher_a, head_a, dept_reviewer)
        task = open_task(trip, "decide_by_director")
        counts[size] = {}
        for name, person in viewers.items():
            client = login(person)
            counts[size][f"request page as {name}"] = _count(client, f"/doan-ra/{trip.pk}/")
            counts[size][f"task page as {name}"] = _count(client, f"/viec/{task.pk}/")
    _assert_flat_and_within_budget(counts)


def _visitors(size: int, family: str, nationality: str, passport: str) -> list[VisitorInput]:
    """``size`` guests of one family and nationality, each with their own passport number."""
    return [
        VisitorInput(
            full_name=f"{family} {i}",
            nationality=nationality,
            passport_number=f"{passport}{size:02d}{i:05d}",
            passport_expiry=datetime.date(2035, 1, 1),
        )
        for i in range(size)
    ]


def _visit(org: Org, size: int, clerk: Person, head: Person, reviewer: Person) -> Any:
    visit = draft_visit(clerk, visitors=_visitors(size, "Tanaka", "JP", "TK"))
    _attach(clerk, visit, size)
    submit(visit, clerk)
    for _ in range(size // 5):
        task = open_task(visit)
        task_complete(task_id=task.pk, user=head.user, action="return", comment="Bổ sung")
        request_submit(actor=clerk.user, request=visit)
    return visit


def test_visit_page_costs_the_same_for_two_or_twenty_visitors_and_files(
    org, clerk_a, head_a, dept_reviewer, auditor
):
    counts: dict[int, dict[str, int]] = {}
    for size in (SMALL, LARGE):
        visit = _visit(org, size, clerk_a, head_a, dept_reviewer)
        task = open_task(visit)
        counts[size] = {}
        for name, person in {"clerk": clerk_a, "head": head_a, "auditor": auditor}.items():
            client = login(person)
            counts[size][f"visit page as {name}"] = _count(client, f"/doan-vao/{visit.pk}/")
            counts[size][f"task page as {name}"] = _count(client, f"/viec/{task.pk}/")
    _assert_flat_and_within_budget(counts)


def _colleagues(org: Org, size: int, tag: str) -> list[Person]:
    return [
        make_staff(f"{tag}{size}_{i}", org.school_a, full_name=f"Giáo viên {tag} {i}")
        for i in range(size)
    ]


def _draft_trip(org: Org, size: int, teacher: Person) -> Any:
    """A draft of ``size`` colleagues (still asked to confirm) and attachments."""
    people = _colleagues(org, size, "nhap")
    request = draft(teacher, teacher, *people, passports=True, departure=far_departure(40 + size))
    _attach(teacher, request, size)
    return request


def _returned_trip(org: Org, size: int, teacher: Person, head: Person) -> Any:
    """A trip of ``size`` travellers and attachments that the head returned ``size // 5 + 1``
    times (tasks and history grow with it); the last return is waiting for the applicant."""
    people = _colleagues(org, size, "tra")
    request = draft(teacher, teacher, *people, passports=True, departure=far_departure(80 + size))
    _attach(teacher, request, size)
    confirm_members(request)
    submit(request, teacher)
    for round_ in range(size // 5 + 1):
        if round_:
            request_submit(actor=teacher.user, request=request)
        task_complete(
            task_id=open_task(request).pk, user=head.user, action="return", comment="Bổ sung"
        )
    return request


def test_draft_and_returned_trip_pages_with_their_preview_cost_the_same_for_two_or_twenty(
    org, teacher_a, clerk_a, head_a
):
    viewers = {"applicant": teacher_a, "clerk": clerk_a, "head": head_a}
    counts: dict[int, dict[str, int]] = {}
    for size in (SMALL, LARGE):
        drafted = _draft_trip(org, size, teacher_a)
        returned = _returned_trip(org, size, teacher_a, head_a)
        counts[size] = {}
        for name, person in viewers.items():
            client = login(person)
            for state, trip in {"draft": drafted, "returned": returned}.items():
                page = client.get(f"/doan-ra/{trip.pk}/")
                assert "preview-title" in page.content.decode()  # the live preview is shown
                counts[size][f"{state} page as {name}"] = _count(client, f"/doan-ra/{trip.pk}/")
                counts[size][f"{state} edit page as {name}"] = _count(
                    client, f"/doan-ra/{trip.pk}/sua/"
                )
                counts[size][f"{state} preview as {name}"] = _count(
                    client, f"/doan-ra/{trip.pk}/xem-truoc/"
                )
    _assert_flat_and_within_budget(counts)


def _returned_visit(org: Org, size: int, clerk: Person, head: Person) -> Any:
    visit = _visit(org, size, clerk, head, head)
    task_complete(task_id=open_task(visit).pk, user=head.user, action="return", comment="Bổ sung")
    return visit


def test_draft_and_returned_visit_pages_with_their_preview_cost_the_same_for_two_or_twenty(
    org, clerk_a, head_a
):
    counts: dict[int, dict[str, int]] = {}
    for size in (SMALL, LARGE):
        drafted = draft_visit(clerk_a, visitors=_visitors(size, "Kim", "KR", "KR"))
        _attach(clerk_a, drafted, size)
        returned = _returned_visit(org, size, clerk_a, head_a)
        counts[size] = {}
        for name, person in {"applicant": clerk_a, "head": head_a}.items():
            client = login(person)
            for state, visit in {"draft": drafted, "returned": returned}.items():
                page = client.get(f"/doan-vao/{visit.pk}/")
                assert "preview-title" in page.content.decode()
                counts[size][f"{state} page as {name}"] = _count(client, f"/doan-vao/{visit.pk}/")
                counts[size][f"{state} edit page as {name}"] = _count(
                    client, f"/doan-vao/{visit.pk}/sua/"
                )
    _assert_flat_and_within_budget(counts)
