"""Facts from stored requests: the only place the rule pack reads the database for history.

A constant number of queries whatever the delegation size: members with their people, units
and passports; the members' roles; trip counts; overlaps; open duties; the itinerary.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from org.models import Passport, Person, Role, RoleAssignment, Unit, UnitKind
from workflow.rules.facts import (
    InboundFacts,
    ItineraryStop,
    MemberFacts,
    OutboundFacts,
    PassportFacts,
    UnitFacts,
    VisitorFacts,
)

RESTRICTION_FLAGS = (
    "exit_banned",
    "under_discipline",
    "under_inspection",
    "in_criminal_proceedings",
    "in_civil_dispute",
)


def unit_facts(unit: Unit) -> UnitFacts:
    """Who manages the unit: "ward", "department" or (for the department itself) "city"."""
    authority = unit.managing_authority
    if authority is not None and authority.kind == UnitKind.WARD:
        managed_by = "ward"
    elif unit.kind in (UnitKind.DEPARTMENT, UnitKind.CITY, UnitKind.WARD):
        managed_by = "city"
    else:
        managed_by = "department"
    return UnitFacts(
        code=unit.code, kind=unit.kind, managed_by=managed_by, school_level=unit.school_level
    )


def _passport_facts(passport: Passport | None) -> PassportFacts | None:
    if passport is None:
        return None
    return PassportFacts(kind=passport.kind, number=passport.number, expires_on=passport.expires_on)


def outbound_facts(request: Any, *, today: datetime.date | None = None) -> OutboundFacts:
    """The facts of an outbound request, its members' history included."""
    from delegations.selectors import official_trip_counts, open_duties, overlapping_trips

    today = today or timezone.localdate()
    members = list(
        request.members.select_related("person__unit__managing_authority", "passport").order_by(
            "-role", "pk"
        )
    )
    person_ids = [m.person_id for m in members]
    user_ids = [m.person.user_id for m in members if m.person.user_id]
    roles = (
        RoleAssignment.objects.effective_on(today)
        .filter(user_id__in=user_ids)
        .values_list("user_id", "role", "unit_id")
    )
    leaders = {uid for uid, role, _unit in roles if role in (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)}
    heads = {(uid, unit_id) for uid, role, unit_id in roles if role == Role.UNIT_HEAD}
    exclude = request.pk
    trips = official_trip_counts(
        person_ids=person_ids, year=request.departure_date.year, exclude_request=exclude
    )
    overlaps = overlapping_trips(
        person_ids=person_ids,
        start=request.departure_date,
        end=request.return_date,
        exclude_request=exclude,
    )
    overdue, unreturned = open_duties(person_ids=person_ids, today=today, exclude_request=exclude)
    member_facts = []
    for member in members:
        person: Person = member.person
        member_facts.append(
            MemberFacts(
                person_id=person.pk,
                full_name=person.full_name,
                unit=unit_facts(person.unit),
                role=member.role,
                position=person.position,
                is_key_leader=person.is_key_leader,
                is_party_managed=person.is_party_managed,
                is_department_leader=person.user_id in leaders,
                is_unit_head=(person.user_id, person.unit_id) in heads,
                restrictions=tuple(f for f in RESTRICTION_FLAGS if getattr(person, f)),
                passport=_passport_facts(member.passport),
                official_trips_this_year=trips.get(person.pk, 0),
                overlapping_trips=tuple(overlaps.get(person.pk, ())),
                overdue_reports=tuple(overdue.get(person.pk, ())),
                unreturned_passports=tuple(unreturned.get(person.pk, ())),
                relative_of=member.relative_of_id,
            )
        )
    stops = tuple(
        ItineraryStop(country=s.country, days=s.days, cities=s.cities, major_event=s.major_event)
        for s in request.itinerary.all()
    )
    creator_heads = RoleAssignment.objects.effective_on(today).filter(
        user_id=request.created_by_id, role=Role.UNIT_HEAD, unit_id=request.unit_id
    )
    # Always one query, whether or not the caller's object has its unit cached.
    request_unit = Unit.objects.select_related("managing_authority").get(pk=request.unit_id)
    return OutboundFacts(
        kind=request.kind,
        purpose_category=request.purpose_category,
        unit=unit_facts(request_unit),
        departure_date=request.departure_date,
        return_date=request.return_date,
        members=tuple(member_facts),
        itinerary=stops,
        inviter_name=request.inviter_name,
        inviter_is_enterprise=request.inviter_is_enterprise,
        named_invitation=request.named_invitation,
        sponsored_by_enterprise=request.sponsored_by_enterprise,
        funding_source=request.funding_source,
        tied_to_contract=request.tied_to_contract,
        presentation_abroad=request.presentation_abroad,
        presentation_text=request.presentation_text,
        head_appraisal=request.head_appraisal,
        submitted_on=today,
        reference=request.reference,
        applicant_is_unit_head=creator_heads.exists()
        or any(m.is_unit_head and m.unit.code == request_unit.code for m in member_facts),
    )


def inbound_facts(visit: Any, *, today: datetime.date | None = None) -> InboundFacts:
    """The facts of an inbound visit and its visitors (two queries).

    Lead times run from the first submission once there is one, so a decision or an amendment
    later does not make a dossier filed in time look late.
    """
    today = today or timezone.localdate()
    visitors = tuple(
        VisitorFacts(
            full_name=v.full_name,
            nationality=v.nationality,
            passport_number=v.passport_number,
            passport_expiry=v.passport_expiry,
            title=v.title,
        )
        for v in visit.visitors.order_by("order", "pk")
    )
    submitted_on = timezone.localtime(visit.submitted_at).date() if visit.submitted_at else today
    creator_heads = RoleAssignment.objects.effective_on(today).filter(
        user_id=visit.created_by_id, role=Role.UNIT_HEAD, unit_id=visit.unit_id
    )
    return InboundFacts(
        host_unit=unit_facts(visit.unit),
        organisation=visit.organisation,
        country=visit.country,
        purpose_category=visit.purpose_category,
        arrival_date=visit.arrival_date,
        departure_date=visit.departure_date,
        visitors=visitors,
        purpose_text=visit.purpose,
        involves_student_recruitment=visit.involves_student_recruitment,
        involves_advertising=visit.involves_advertising,
        sponsor=visit.sponsor,
        enterprise_involved=visit.enterprise_involved,
        is_conference=visit.is_conference,
        senior_guest_level=visit.senior_guest_level,
        prime_minister_decides=visit.prime_minister_decides,
        submitted_on=submitted_on,
        reference=visit.reference,
        applicant_is_unit_head=creator_heads.exists(),
    )


def facts_for(request: Any, on: datetime.date | None = None) -> Any:
    """Facts for any request the rule pack knows, as of ``on`` (default today)."""
    kind = getattr(request, "request_kind", None)
    if kind == "outbound":
        return outbound_facts(request, today=on)
    if kind == "inbound":
        return inbound_facts(request, today=on)
    raise LookupError(f"No facts adapter for {type(request).__name__}")
