"""What the rule pack reads from the database: a request's facts, its evaluation with the rule
set in force, and who is expected to act on each step.

The rule pack (:mod:`workflow.rules`) is pure functions over facts; this module builds the facts
from stored requests with a constant number of queries whatever the delegation size (members
with their people, units and passports; the members' roles; trip counts; overlaps; open duties;
the itinerary), and resolves the approvers of the steps from the directory. It reads, never
writes.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from delegations.selectors import official_trip_counts, open_duties, overlapping_trips
from org.calendar import WorkingCalendar, current_calendar
from org.models import (
    ActingAssignment,
    Passport,
    Person,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
)
from workflow.models import ruleset_params_in_force
from workflow.rules.engine import Evaluation, Params, evaluate_inbound, evaluate_outbound
from workflow.rules.facts import (
    InboundFacts,
    ItineraryStop,
    MemberFacts,
    OutboundFacts,
    PassportFacts,
    UnitFacts,
    VisitorFacts,
)
from workflow.rules.texts import RESTRICTIONS
from workflow.rules.timing import DEPARTMENT, MANAGING_WARD, OWN_UNIT, Step

#: The org.models.Person flags that bar a member (OUT-BARRED), as the rule pack words them.
RESTRICTION_FLAGS = tuple(RESTRICTIONS)

#: Facts that are the stored field of the same name, copied as they are.
OUTBOUND_AS_STORED = (
    "kind",
    "purpose_category",
    "departure_date",
    "return_date",
    "inviter_name",
    "inviter_is_enterprise",
    "named_invitation",
    "sponsored_by_enterprise",
    "funding_source",
    "tied_to_contract",
    "presentation_abroad",
    "presentation_text",
    "head_appraisal",
    "reference",
)
INBOUND_AS_STORED = (
    "organisation",
    "country",
    "purpose_category",
    "arrival_date",
    "departure_date",
    "involves_student_recruitment",
    "involves_advertising",
    "sponsor",
    "enterprise_involved",
    "is_conference",
    "senior_guest_level",
    "prime_minister_decides",
    "reference",
)
VISITOR_AS_STORED = (
    "full_name",
    "nationality",
    "passport_number",
    "passport_expiry",
    "title",
)


def _as_stored(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The row's values of the named fields, as keyword arguments of the facts."""
    return {name: getattr(row, name) for name in names}


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


def _created_by_unit_head(request: Any, today: datetime.date) -> bool:
    """Whether the request's author heads its unit on ``today`` (one query)."""
    return (
        RoleAssignment.objects.effective_on(today)
        .filter(user_id=request.created_by_id, role=Role.UNIT_HEAD, unit_id=request.unit_id)
        .exists()
    )


def _passport_facts(passport: Passport | None) -> PassportFacts | None:
    if passport is None:
        return None
    return PassportFacts(kind=passport.kind, number=passport.number, expires_on=passport.expires_on)


def _first_submitted_on(request: Any, today: datetime.date) -> datetime.date:
    """The day of the first submission, stamped on the request; ``today`` before there is one.

    Lead times (OUT-LEAD-TIME, IN-CONFERENCE, IN-NOTIFY-LEAD) run from it, so a decision or a
    resubmission later does not make a dossier filed in time look late.
    """
    return timezone.localtime(request.submitted_at).date() if request.submitted_at else today


def outbound_facts(request: Any, *, today: datetime.date | None = None) -> OutboundFacts:
    """The facts of an outbound request, its members' history included."""
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
    # Always one query, whether or not the caller's object has its unit cached.
    request_unit = Unit.objects.select_related("managing_authority").get(pk=request.unit_id)
    return OutboundFacts(
        **_as_stored(request, OUTBOUND_AS_STORED),
        unit=unit_facts(request_unit),
        members=tuple(member_facts),
        itinerary=stops,
        submitted_on=_first_submitted_on(request, today),
        applicant_is_unit_head=_created_by_unit_head(request, today)
        or any(m.is_unit_head and m.unit.code == request_unit.code for m in member_facts),
    )


def inbound_facts(visit: Any, *, today: datetime.date | None = None) -> InboundFacts:
    """The facts of an inbound visit and its visitors (two queries).

    Lead times run from the first submission once there is one, so a decision or an amendment
    later does not make a dossier filed in time look late.
    """
    today = today or timezone.localdate()
    visitors = tuple(
        VisitorFacts(**_as_stored(v, VISITOR_AS_STORED))
        for v in visit.visitors.order_by("order", "pk")
    )
    submitted_on = _first_submitted_on(visit, today)
    return InboundFacts(
        **_as_stored(visit, INBOUND_AS_STORED),
        host_unit=unit_facts(visit.unit),
        visitors=visitors,
        purpose_text=visit.purpose,
        submitted_on=submitted_on,
        applicant_is_unit_head=_created_by_unit_head(visit, today),
    )


def facts_for(request: Any, on: datetime.date | None = None) -> Any:
    """Facts for any request the rule pack knows, as of ``on`` (default today)."""
    kind = getattr(request, "request_kind", None)
    if kind == "outbound":
        return outbound_facts(request, today=on)
    if kind == "inbound":
        return inbound_facts(request, today=on)
    raise LookupError(f"No facts adapter for {type(request).__name__}")


def evaluate(
    request_or_facts: Any,
    on: datetime.date | None = None,
    *,
    params: Params = None,
    calendar: WorkingCalendar | None = None,
) -> Evaluation:
    """Evaluate a request (through :func:`facts_for`) or its facts.

    Reads the database but writes nothing: without ``params`` it uses the rule-set version in
    force on ``on`` (default: today) and records its id; without ``calendar``, the working
    calendar with the administrators' changes.
    """
    day = on or timezone.localdate()
    facts = request_or_facts
    if not isinstance(facts, OutboundFacts | InboundFacts):
        facts = facts_for(request_or_facts, on=day)
    version_id = None
    if params is None:
        version, params = ruleset_params_in_force(day)
        version_id = version.pk if version else None
    calendar = calendar or current_calendar()
    evaluator = evaluate_outbound if isinstance(facts, OutboundFacts) else evaluate_inbound
    result = evaluator(facts, params=params, on=day, calendar=calendar)
    return dataclasses.replace(result, ruleset_version=version_id)


@dataclass(frozen=True)
class Approver:
    user: Any  # the user model instance
    role: str
    unit: Unit
    #: The holder this user acts for (quyền, phụ trách), or None for the holder themself.
    acting_for: Any = None

    @property
    def full_name(self) -> str:
        person = getattr(self.user, "person", None)
        return str(person.full_name if person is not None else self.user.get_username())


@dataclass(frozen=True)
class StepApprovers:
    step: Step
    #: The unit where the step is decided (own unit, managing ward or department), if found.
    unit: Unit | None
    approvers: tuple[Approver, ...]


def _department_of(unit: Unit) -> Unit | None:
    """The department whose roles the flow will ask (the same lookup as the flows' permission)."""
    try:
        return unit.department()
    except LookupError:
        return None


def _in_scope(unit: Unit, scope: str, targets: dict[str, Unit | None]) -> bool:
    target = targets[scope]
    if target is None:
        return False
    if unit.pk == target.pk:
        return True
    # The department's reviewers hold their role in an office of the department (Văn phòng Sở).
    return (
        scope == DEPARTMENT
        and unit.kind == UnitKind.DEPARTMENT_OFFICE
        and unit.parent_id == target.pk
    )


def resolve_approvers(
    steps: Iterable[Step],
    *,
    unit: Unit,
    on: datetime.date,
    exclude_user_ids: Collection[int] = (),
) -> list[StepApprovers]:
    """For each step, the users holding its role on ``on`` in the step's unit.

    Acting holders come with ``acting_for``; a holder who is being acted for that day is left
    out (the task goes to whoever holds the role that day). ``exclude_user_ids`` removes people
    who may not decide (the applicant, the members: separation of duties).
    """
    steps = list(steps)
    unit = Unit.objects.select_related("managing_authority", "parent").get(pk=unit.pk)
    ward = unit if unit.kind == UnitKind.WARD else unit.managing_authority
    targets: dict[str, Unit | None] = {
        OWN_UNIT: unit,
        MANAGING_WARD: ward if ward is not None and ward.kind == UnitKind.WARD else None,
        DEPARTMENT: None,
    }
    if any(s.unit == DEPARTMENT for s in steps):
        targets[DEPARTMENT] = _department_of(unit)
    roles = {role for s in steps for role in s.roles}
    found = [t for t in targets.values() if t is not None]
    unit_q = Q(unit__in=found)
    if targets[DEPARTMENT] is not None:
        unit_q |= Q(unit__parent=targets[DEPARTMENT], unit__kind=UnitKind.DEPARTMENT_OFFICE)
    holders = list(
        RoleAssignment.objects.effective_on(on)
        .filter(unit_q, role__in=roles)
        .select_related("user__person", "unit")
        .order_by("user__username")
    )
    acting = list(
        ActingAssignment.objects.effective_on(on)
        .filter(unit_q, role__in=roles)
        .select_related("acting_user__person", "holder", "unit")
        .order_by("acting_user__username")
    )
    away = {(a.holder_id, a.role, a.unit_id) for a in acting if a.holder_id}
    excluded = set(exclude_user_ids)

    result = []
    for step in steps:
        approvers: list[Approver] = []
        seen: set[int] = set()
        for role in step.roles:
            candidates = [
                Approver(h.user, role, h.unit)
                for h in holders
                if h.role == role
                and _in_scope(h.unit, step.unit, targets)
                and (h.user_id, role, h.unit_id) not in away
            ] + [
                Approver(a.acting_user, role, a.unit, acting_for=a.holder)
                for a in acting
                if a.role == role and _in_scope(a.unit, step.unit, targets)
            ]
            for approver in candidates:
                if approver.user.pk in excluded or approver.user.pk in seen:
                    continue
                seen.add(approver.user.pk)
                approvers.append(approver)
        result.append(StepApprovers(step, targets[step.unit], tuple(approvers)))
    return result
