"""Request lists read a page from indexes whatever the table's size, and show what they showed.

Each persona's list is a merge of its visibility clauses (author, unit, route, membership), each
read newest first with the page's limit (``delegations.selectors._newest_visible``). These tests
hold it to the plain OR of those clauses (``request_list_for_user``) on a mixed dataset, page by
page (pages and API, keyset cursors included), and, on PostgreSQL, prove on a seeded and analysed
table that a page reads a few dozen rows, not the table.
"""

from __future__ import annotations

import datetime
import itertools
import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from delegations.kinds import INBOUND, OUTBOUND, request_list_for_user
from delegations.models import InboundVisit, OutboundMember, OutboundRequest
from delegations.selectors import inbound_list_for_user, outbound_list_for_user
from org.models import Person, Unit
from tests.bench.seeding import analyse, insert, next_id
from tests.conftest import Org, login, persona
from tests.db_roles import as_owner
from tests.factories import SchoolFactory, make_staff

pytestmark = pytest.mark.django_db

PERSONAS = (
    "teacher_a",
    "clerk_a",
    "head_a",
    "head_b",
    "dept_reviewer",
    "director",
    "ward_chair",
    "ward_teacher",
    "auditor",
)
OUTBOUND_STATUSES = ("draft", "submitted", "returned", "approved", "rejected", "closed")
INBOUND_STATUSES = ("draft", "submitted", "approved", "visiting", "cancelled", "closed")
ROUTES = ("DEPT", "CITY", "WARD", None)


def _outbound(i: int, unit: Unit, author: Person, **fields: Any) -> OutboundRequest:
    day = timezone.localdate() + datetime.timedelta(days=60)
    values: dict[str, Any] = {
        "unit": unit,
        "created_by_id": author.user_id,
        "kind": "official",
        "purpose_category": "study",
        "purpose": f"Khảo sát giáo dục số {i}",
        "funding_source": "self",
        "status": OUTBOUND_STATUSES[i % len(OUTBOUND_STATUSES)],
        "route": ROUTES[i % len(ROUTES)],
        "reference": f"MIX/ĐR/{i:05d}",
        "departure_date": day,
        "return_date": day,
    }
    values.update(fields)
    return OutboundRequest(**values)


def _inbound(i: int, unit: Unit, author: Person) -> InboundVisit:
    day = timezone.localdate() + datetime.timedelta(days=60)
    return InboundVisit(
        unit=unit,
        created_by_id=author.user_id,
        organisation=f"Đại học Osaka {i}",
        country="JP",
        purpose_category="visit",
        purpose=f"Giao lưu {i}",
        arrival_date=day,
        departure_date=day,
        status=INBOUND_STATUSES[i % len(INBOUND_STATUSES)],
        route=ROUTES[(i // 2) % len(ROUTES)],
        reference=f"MIX/ĐV/{i:05d}",
    )


@pytest.fixture
def mixed(org: Org) -> dict[str, Person]:
    """Requests and visits of every status and route, by the personas and by others, in school
    A, school B and the ward school; some personas travel on others' trips."""
    people = {name: persona(org, name) for name in PERSONAS}
    other_a = make_staff("other_a", org.school_a, full_name="Đỗ Văn Khác")
    other_b = make_staff("other_b", org.school_b, full_name="Ngô Thị Bê")
    authors = [people["teacher_a"], people["clerk_a"], other_a, other_b, people["ward_teacher"]]
    units = {
        people["teacher_a"].pk: org.school_a,
        people["clerk_a"].pk: org.school_a,
        other_a.pk: org.school_a,
        other_b.pk: org.school_b,
        people["ward_teacher"].pk: org.ward_school,
    }
    requests = []
    for i in range(60):
        author = authors[(i * 7) % len(authors)]
        requests.append(_outbound(i, units[author.pk], author))
    OutboundRequest.objects.bulk_create(requests)
    # teacher_a travels on a few of other people's trips (school B's too), some drafts.
    travellers = [people["teacher_a"], people["head_b"], other_a]
    members = [
        OutboundMember(request=r, person=travellers[i % len(travellers)], role="member")
        for i, r in enumerate(OutboundRequest.objects.order_by("pk"))
        if i % 5 == 0
    ]
    OutboundMember.objects.bulk_create(members)
    InboundVisit.objects.bulk_create(
        [_inbound(i, units[a.pk], a) for i, a in zip(range(40), itertools.cycle(authors))]
    )
    return people


def _old_ids(user: Any, kind: str, **filters: Any) -> list[int]:
    """The list as one OR (what it was), newest first."""
    qs = request_list_for_user(user=user, kind=kind)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return list(qs.order_by("-pk").values_list("pk", flat=True).distinct())


def _paged_ids(user: Any, kind: str, size: int, **filters: Any) -> list[int]:
    """Every page of ``size`` through the new selector, following the keyset."""
    select = outbound_list_for_user if kind == OUTBOUND else inbound_list_for_user
    seen: list[int] = []
    before = None
    while True:
        page = list(select(user=user, before=before, limit=size + 1, **filters)[: size + 1])
        seen += [r.pk for r in page[:size]]
        if len(page) <= size:
            return seen
        before = page[size - 1].pk


@pytest.mark.parametrize("kind", [OUTBOUND, INBOUND])
@pytest.mark.parametrize("size", [1, 4, 50])
def test_every_persona_pages_through_exactly_what_the_or_shows(mixed, kind, size):
    for name, person in mixed.items():
        expected = _old_ids(person.user, kind)
        assert _paged_ids(person.user, kind, size) == expected, (name, kind, size)


def test_a_status_filter_and_going_back_give_the_same_rows_as_the_or(mixed):
    teacher = mixed["teacher_a"].user
    for status in OUTBOUND_STATUSES:
        assert _paged_ids(teacher, OUTBOUND, 2, status=status) == _old_ids(
            teacher, OUTBOUND, status=status
        )
    expected = _old_ids(teacher, OUTBOUND)
    # Oldest first above an id, as a reversed cursor reads.
    above = expected[-3]
    page = outbound_list_for_user(user=teacher, after=above, limit=2)
    assert [r.pk for r in page] == sorted(pk for pk in expected if pk > above)[:2]


def test_the_visibility_lists_still_refuse_the_other_school(mixed):
    """The merge shows no more than the OR: school B's head sees nothing of school A's own."""
    head_b = mixed["head_b"].user
    shown = _paged_ids(head_b, OUTBOUND, 50)
    units = set(OutboundRequest.objects.filter(pk__in=shown).values_list("unit__code", flat=True))
    travelling = set(
        OutboundMember.objects.filter(person=mixed["head_b"]).values_list("request_id", flat=True)
    )
    assert all(
        code == "THPT-B" or pk in travelling
        for pk, code in OutboundRequest.objects.filter(pk__in=shown).values_list("pk", "unit__code")
    ), units


def _api_ids(client: Any, path: str) -> list[int]:
    ids: list[int] = []
    url: str | None = f"{path}?page_size=3"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids


def test_api_and_page_cursors_walk_the_same_rows_as_the_or(mixed):
    for name in ("teacher_a", "head_a", "dept_reviewer", "ward_chair"):
        person = mixed[name]
        client = login(person)
        assert _api_ids(client, "/api/v1/outbound/") == _old_ids(person.user, OUTBOUND), name
        assert _api_ids(client, "/api/v1/inbound/") == _old_ids(person.user, INBOUND), name
    teacher = login(mixed["teacher_a"])
    expected = _old_ids(mixed["teacher_a"].user, OUTBOUND)
    page = teacher.get("/doan-ra/", {"before": expected[0]})
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/doan-ra/{expected[0]}/" not in html
    assert all(f"/doan-ra/{pk}/" in html for pk in expected[1:])


def test_an_unreadable_cursor_is_refused_not_a_server_error(mixed):
    client = login(mixed["teacher_a"])
    response = client.get("/api/v1/outbound/", {"cursor": "cD1hYmM="})  # p=abc
    assert response.status_code == 404
    huge = client.get("/api/v1/outbound/", {"cursor": "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5"})
    assert huge.status_code == 404


# --- PostgreSQL: the plan ---------------------------------------------------------------------

SEEDED_REQUESTS = 40_000


def _seed_table(org: Org) -> None:
    """Forty thousand newer requests by someone else in four other schools, on the ward route
    (nobody but auditors sees them): a backwards walk of the table with the OR as its filter
    would read all of them before it reached the personas' own."""
    schools = SchoolFactory.create_batch(
        4, parent=org.department, managing_authority=org.department
    )
    author = make_staff("prolific", schools[0])
    first = next_id(OutboundRequest)
    day = timezone.localdate() + datetime.timedelta(days=60)
    unit_ids = [s.pk for s in schools]
    insert(
        OutboundRequest,
        (
            OutboundRequest(
                pk=first + i, unit_id=unit_ids[i % len(unit_ids)], created_by_id=author.user_id,
                kind="official", purpose_category="study", purpose="Khảo sát",
                funding_source="self",
                status="submitted", route="WARD", reference=f"SEED/ĐR/{i:06d}",
                departure_date=day, return_date=day,
            )
            for i in range(SEEDED_REQUESTS)
        ),
    )  # fmt: skip
    analyse()


def _rows_read(plan: list[dict[str, Any]], table: str) -> int:
    """Rows a node read from ``table`` (kept plus removed by its filter, over every loop)."""
    total = 0
    stack = [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        stack += node.get("Plans", [])
        if node.get("Relation Name") == table:
            per_loop = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
            total += per_loop * node.get("Actual Loops", 1)
    return total


def _nodes(plan: list[dict[str, Any]], table: str) -> list[str]:
    """The node types that read ``table``."""
    found, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        stack += node.get("Plans", [])
        if node.get("Relation Name") == table:
            found.append(node["Node Type"])
    return found


def _explain(queryset: Any) -> tuple[list[dict[str, Any]], str]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    plan = raw if isinstance(raw, list) else json.loads(raw)
    return plan, json.dumps(plan)


@pytest.mark.postgres
def test_each_personas_list_reads_a_page_from_indexes_not_the_table(mixed, org):
    with as_owner():  # bulk seeding, the sequence and ANALYZE are the owner's, not the app's
        _seed_table(org)
    table = OutboundRequest._meta.db_table
    assert OutboundRequest.objects.count() > SEEDED_REQUESTS
    for name in PERSONAS:
        user = mixed[name].user
        page = outbound_list_for_user(user=user, limit=51)[:51]
        plan, text = _explain(page)
        assert "Seq Scan" not in _nodes(plan, table), (name, text)
        assert '"Node Type": "Limit"' in text, (name, text)
        # A page reads its clauses' first rows and the page's own rows: never the table.
        assert _rows_read(plan, table) < 1_000, (name, _rows_read(plan, table), text)
        assert [r.pk for r in page] == _old_ids(user, OUTBOUND)[:51], name
    # The test can fail: the OR of the same clauses reads the whole seeded table.
    teacher = mixed["teacher_a"].user
    old_plan, text = _explain(
        request_list_for_user(user=teacher, kind=OUTBOUND).order_by("-pk")[:51]
    )
    assert _rows_read(old_plan, table) >= SEEDED_REQUESTS, text


def test_a_visitor_who_is_not_signed_in_gets_an_empty_page(mixed):
    assert list(outbound_list_for_user(user=AnonymousUser(), limit=51)) == []
    assert list(inbound_list_for_user(user=AnonymousUser(), limit=51)) == []
