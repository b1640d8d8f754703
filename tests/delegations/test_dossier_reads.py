"""The travellers' other trips are read once for the page and the rule facts, with the same answers.

The rule facts ask three questions about the members' other trips (official trips this year,
trips whose dates overlap, open duties: an overdue report, a passport not handed back) and the
request page shows the first. They are answered from one read (``dossier_members``); these
tests pin each answer on a history where every filter matters, and that the facts a page hands
over are the facts the rule pack reads on its own.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from delegations.dossier_reads import (
    DossierReads,
    dossier_members,
    request_stops,
    roles_in_force,
    unit_with_authorities,
)
from delegations.facts import outbound_facts, resolve_approvers
from delegations.models import OutboundMember, OutboundRequest
from delegations.presenters import outbound_detail
from org.models import Person, Role, Unit
from tests.factories import make_acting, make_staff
from tests.flows import draft
from tests.workflow.rules.builders import WARD_SCHOOL, outbound, personal, ward_teacher
from tests.workflow.rules.helpers import run

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year + 1
D = datetime.date


def _trip(author: Person, *members: Person, **fields: Any) -> OutboundRequest:
    """A trip of ``members`` whose stored fields are then set as given (dates, status, ...)."""
    trip = draft(author, *members)
    OutboundRequest.objects.filter(pk=trip.pk).update(**fields)
    trip.refresh_from_db()
    return trip


@pytest.fixture
def history(org: Any, teacher_a: Person) -> dict[str, Any]:
    """A draft for A, B and C, and their other trips: some count, some clash, some owe."""
    a, b, c = (make_staff(f"hist_{n}", org.school_a, full_name=f"Người {n}") for n in "abc")
    trips = {
        # A: official and approved, overlapping the draft: counts, clashes.
        "t1": _trip(teacher_a, a, reference="2027/T1", status="approved",
                    departure_date=D(YEAR, 6, 12), return_date=D(YEAR, 6, 16)),
        # A and B: official and closed, earlier that year: counts, does not clash (closed).
        "t2": _trip(teacher_a, a, b, reference="2027/T2", status="closed",
                    departure_date=D(YEAR, 6, 9), return_date=D(YEAR, 6, 11)),
        # A: personal, under review, overlapping, no reference yet: clashes, does not count.
        "t3": _trip(teacher_a, a, kind="personal", status="submitted",
                    departure_date=D(YEAR, 6, 14), return_date=D(YEAR, 6, 20)),
        # A: official and approved, the year before: neither.
        "t4": _trip(teacher_a, a, reference="2026/T4", status="approved",
                    departure_date=D(YEAR - 1, 6, 10), return_date=D(YEAR - 1, 6, 14)),
        # B: back home, report overdue: owes a report.
        "t5": _trip(teacher_a, b, reference="2026/T5", status="returned_home",
                    departure_date=TODAY - datetime.timedelta(days=40),
                    return_date=TODAY - datetime.timedelta(days=35),
                    report_due=TODAY - datetime.timedelta(days=5)),
        # C: cancelled, but the passport was due back three days ago: owes a passport.
        "t6": _trip(teacher_a, c, reference="2026/T6", status="cancelled",
                    departure_date=TODAY - datetime.timedelta(days=20),
                    return_date=TODAY - datetime.timedelta(days=15)),
        # A: withdrawn, and B: a draft, both overlapping: neither counts nor clashes.
        "t7": _trip(teacher_a, a, reference="2027/T7", status="withdrawn",
                    departure_date=D(YEAR, 6, 10), return_date=D(YEAR, 6, 14)),
        "t8": _trip(teacher_a, b, departure_date=D(YEAR, 6, 10), return_date=D(YEAR, 6, 14)),
        # C: official, approved, overlapping; its passport is due back later: counts, clashes.
        "t9": _trip(teacher_a, c, reference="2027/T9", status="approved",
                    departure_date=D(YEAR, 6, 13), return_date=D(YEAR, 6, 13)),
    }  # fmt: skip
    OutboundMember.objects.filter(request=trips["t6"], person=c).update(
        passport_due_on=TODAY - datetime.timedelta(days=3)
    )
    OutboundMember.objects.filter(request=trips["t9"], person=c).update(
        passport_due_on=TODAY + datetime.timedelta(days=30)
    )
    subject = _trip(teacher_a, a, b, c, departure_date=D(YEAR, 6, 10), return_date=D(YEAR, 6, 14))
    return {"subject": subject, "people": (a, b, c), **trips}


def _history_facts(request: OutboundRequest) -> dict[str, tuple[Any, ...]]:
    facts = outbound_facts(request, today=TODAY)
    return {
        m.full_name: (
            m.official_trips_this_year,
            m.overlapping_trips,
            m.overdue_reports,
            m.unreturned_passports,
        )
        for m in facts.members
    }


def test_each_members_trips_are_counted_clashed_and_owed_as_the_rules_ask(history):
    t3 = history["t3"]
    assert _history_facts(history["subject"]) == {
        "Người a": (2, (f"#{t3.pk}", "2027/T1"), (), ()),  # the newest clash first
        "Người b": (1, (), ("2026/T5",), ()),
        "Người c": (1, ("2027/T9",), (), ("2026/T6",)),
    }


def test_the_page_counts_this_trip_once_it_is_under_way_the_facts_never_do(history):
    subject = history["subject"]
    shown = {
        m["full_name"]: m["official_trips_this_year"] for m in outbound_detail(subject)["members"]
    }
    assert shown == {"Người a": 2, "Người b": 1, "Người c": 1}
    OutboundRequest.objects.filter(pk=subject.pk).update(status="returned")
    subject.refresh_from_db()
    shown = {
        m["full_name"]: m["official_trips_this_year"] for m in outbound_detail(subject)["members"]
    }
    assert shown == {"Người a": 3, "Người b": 2, "Người c": 2}
    assert {name: f[0] for name, f in _history_facts(subject).items()} == {
        "Người a": 2,
        "Người b": 1,
        "Người c": 1,
    }


def test_the_members_and_their_trips_are_one_query(history, django_assert_num_queries):
    subject = history["subject"]
    with django_assert_num_queries(1):
        read = dossier_members(subject, today=TODAY)
    # In the dossier's own order of members.
    assert list(read.members) == list(subject.members.order_by("-role", "pk"))
    assert {row.request_id for row in read.trips.rows} >= {history[t].pk for t in ("t1", "t5")}


def test_a_page_hands_the_rule_pack_the_facts_it_would_read_itself(history, head_a):
    subject = history["subject"]
    members = dossier_members(subject, today=TODAY)
    unit = unit_with_authorities(subject)
    people = {subject.created_by_id} | {m.person.user_id for m in members.members}
    reads = DossierReads(
        on=TODAY,
        members=members,
        stops=request_stops(subject),
        attachment_kinds=frozenset(),
        unit=unit,
        roles=roles_in_force(TODAY, user_ids=people - {None}, unit=unit),
    )
    assert outbound_facts(subject, today=TODAY, reads=reads) == outbound_facts(subject, today=TODAY)
    with pytest.raises(ValueError):
        outbound_facts(subject, today=TODAY + datetime.timedelta(days=1), reads=reads)


@pytest.mark.parametrize(
    ("unit_name", "facts"),
    [
        ("school_a", lambda: outbound()),
        ("ward_school", lambda: personal(unit=WARD_SCHOOL, members=(ward_teacher(),))),
        ("ward_school", lambda: outbound(unit=WARD_SCHOOL, named_invitation=True)),
    ],
    ids=["department-route", "ward-route", "city-via-ward"],
)
def test_approvers_picked_from_the_roles_read_with_the_facts_are_those_read_alone(
    org, head_a, head_b, dept_reviewer, director, ward_chair, unit_name, facts
):
    on = TODAY
    make_staff("pho_gd", org.department, Role.DEPUTY_DIRECTOR, full_name="Lê Hoài Nam")
    make_staff("vp_sgd", org.office, Role.DEPT_OFFICE_HEAD, full_name="Trần Văn Phòng")
    ward_head = make_staff("ward_head", org.ward_school, Role.UNIT_HEAD, full_name="Mai Văn Đức")
    deputy = make_staff("deputy_a", org.school_a, None, full_name="Ngô Thị Thu")
    make_acting(deputy.user, head_a.user, org.school_a, on=on)
    unit = Unit.objects.select_related("managing_authority", "parent").get(
        pk=getattr(org, unit_name).pk
    )
    steps = run(facts()).steps
    # The dossier's people: a traveller who heads another school must not become an approver.
    people = {head_b.user.pk, ward_head.user.pk}
    roles = roles_in_force(on, user_ids=people, unit=unit)
    alone = resolve_approvers(steps, unit=getattr(org, unit_name), on=on)
    picked = resolve_approvers(steps, unit=unit, on=on, roles=roles)
    assert [(s.step, s.unit, s.approvers) for s in picked] == [
        (s.step, s.unit, s.approvers) for s in alone
    ]
    assert all(a.approvers for a in alone)
