"""References (issue #15, problem 7): unique across the system and readable, unit code, kind
and year (``THPT-A/ĐR/2026/0001``), gapless per unit, kind and year, safe under concurrency."""

import functools

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import RulesBlocked
from delegations.models import OutboundRequest, ReferenceCounter
from org.models import Person
from tests.api_helpers import approve_all, post
from tests.conftest import login
from tests.delegations.test_outbound_api import create
from tests.flows import draft, draft_visit, submit
from tests.threads import at_once
from workflow.services import request_submit

YEAR = timezone.localdate().year


@pytest.mark.django_db
def test_two_schools_number_apart_and_the_department_queue_tells_them_apart(
    org, teacher_a, head_a, head_b, dept_reviewer
):
    teacher_b = Person.objects.create(full_name="Võ Thị Hoa", unit=org.school_b, staff_code="B1")
    a = login(teacher_a)
    rid_a = create(a, teacher_a)["id"]
    assert post(a, f"/api/v1/outbound/{rid_a}/submit/").json()["reference"] == (
        f"THPT-A/ĐR/{YEAR}/0001"
    )
    b = login(head_b)
    rid_b = create(b, teacher_b)["id"]
    assert post(b, f"/api/v1/outbound/{rid_b}/submit/").json()["reference"] == (
        f"THPT-B/ĐR/{YEAR}/0001"
    )
    approve_all(rid_a, head_a)  # B's head filed B's request: it is at the department already
    queue = login(dept_reviewer).get("/viec/?tab=queue").content.decode()
    assert f"THPT-A/ĐR/{YEAR}/0001" in queue and f"THPT-B/ĐR/{YEAR}/0001" in queue


@pytest.mark.django_db
def test_outbound_and_inbound_of_one_unit_never_share_a_number(org, teacher_a, clerk_a):
    request = draft(teacher_a)
    submit(request, teacher_a)
    visit = draft_visit(clerk_a)
    submit(visit, clerk_a)
    assert request.reference == f"THPT-A/ĐR/{YEAR}/0001"
    assert visit.reference == f"THPT-A/ĐV/{YEAR}/0001"
    page = login(clerk_a).get(f"/doan-vao/{visit.pk}/").content.decode()
    assert visit.reference in page


@pytest.mark.django_db
def test_a_refused_submission_takes_no_number(org, teacher_a):
    blocked = draft(teacher_a, sponsored_by_enterprise=True, funding_source="enterprise")
    with pytest.raises(RulesBlocked):
        request_submit(actor=teacher_a.user, request=blocked)
    counter = ReferenceCounter.objects.filter(unit=org.school_a, kind="outbound").first()
    assert counter is None or counter.last == 0
    request = draft(teacher_a)
    submit(request, teacher_a)
    assert request.reference == f"THPT-A/ĐR/{YEAR}/0001"


@pytest.mark.django_db
def test_the_same_reference_cannot_be_stored_twice(org, teacher_a):
    first, second = draft(teacher_a), draft(teacher_a)
    submit(first, teacher_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundRequest.objects.filter(pk=second.pk).update(reference=first.reference)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_of_one_school_get_consecutive_numbers(org, clerk_a):
    people = [
        Person.objects.create(full_name=f"GV {i}", unit=org.school_a, staff_code=f"C{i}")
        for i in range(8)
    ]
    drafts = [draft(clerk_a, person) for person in people]
    results = at_once(
        [functools.partial(request_submit, actor=clerk_a.user, request=d) for d in drafts]
    )

    assert [r for r in results if isinstance(r, str)] == []  # no exception
    references = sorted(OutboundRequest.objects.values_list("reference", flat=True))
    assert references == [f"THPT-A/ĐR/{YEAR}/{n:04d}" for n in range(1, len(drafts) + 1)]
