"""What the rule pack reads from the database: a request's facts, its evaluation with the rule
set in force, and who is expected to act on each step.

The rule pack (:mod:`workflow.rules`) is pure functions over facts; this module builds the facts
from stored requests with a constant number of queries whatever the delegation size (members
with their people, units, passports and other trips; the roles people hold; the itinerary; the
attachments: :mod:`delegations.dossier_reads`, which a page hands over when it has read them),
and resolves the approvers of the steps from the directory. It reads, never writes.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from approvals.models import Decision
from config.memo import memoized
from delegations.dossier_reads import (
    STEP_ROLES,
    DossierReads,
    complete,
    content_reads,
    decision_members,
)
from delegations.models import AttachmentKind
from org.calendar import WorkingCalendar, current_calendar
from org.models import (
    ActingAssignment,
    Jurisdiction,
    Passport,
    Person,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
)
from workflow.models import ruleset_params_in_force
from workflow.rules.authority import COLUMNS, route_steps, steps_key
from workflow.rules.engine import Evaluation, Params, evaluate_facts
from workflow.rules.facts import (
    InboundFacts,
    ItineraryStop,
    MemberFacts,
    OutboundFacts,
    PassportFacts,
    UnitFacts,
    VisitorFacts,
)
from workflow.rules.params import as_param_set
from workflow.rules.registry import Check, Route
from workflow.rules.texts import RESTRICTIONS, local_basis
from workflow.rules.timing import DEPARTMENT, MANAGING_WARD, OWN_UNIT, STEP_KINDS, Step, StepKind

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


def _heads_unit(roles: Iterable[RoleAssignment], user_id: int | None, unit_id: int) -> bool:
    """Whether the user heads the unit, among role assignments in force (the facts' day)."""
    return any(
        r.user_id == user_id and r.role == Role.UNIT_HEAD and r.unit_id == unit_id for r in roles
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


def _reads_for(request: Any, today: datetime.date, reads: DossierReads | None) -> DossierReads:
    """What the facts read, as of ``today``: what the caller read (``reads``) and the rest."""
    if reads is not None and reads.on != today:
        raise ValueError(f"Reads of {reads.on} for the facts of {today}.")
    return complete(request, reads or DossierReads(on=today))


def outbound_facts(
    request: Any, *, today: datetime.date | None = None, reads: DossierReads | None = None
) -> OutboundFacts:
    """The facts of an outbound request, its members' history included.

    ``reads``: rows the caller already read on ``today`` (a page); the rest is read here, one
    query each (:mod:`delegations.dossier_reads`).
    """
    today = today or timezone.localdate()
    reads = _reads_for(request, today, reads)
    assert reads.members is not None and reads.stops is not None and reads.roles is not None
    members = reads.members.members
    user_ids = {m.person.user_id for m in members if m.person.user_id}
    roles = [(r.user_id, r.role, r.unit_id) for r in reads.roles if r.user_id in user_ids]
    leaders = {uid for uid, role, _unit in roles if role in (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)}
    heads = {(uid, unit_id) for uid, role, unit_id in roles if role == Role.UNIT_HEAD}
    exclude = request.pk
    history = reads.members.trips
    trips = history.official_counts(request.departure_date.year, exclude_request=exclude)
    overlaps = history.overlapping(
        request.departure_date, request.return_date, exclude_request=exclude
    )
    overdue, unreturned = history.open_duties(today, exclude_request=exclude)
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
        for s in reads.stops
    )
    assert reads.unit is not None and reads.attachment_kinds is not None
    return OutboundFacts(
        **_as_stored(request, OUTBOUND_AS_STORED),
        unit=unit_facts(reads.unit),
        members=tuple(member_facts),
        itinerary=stops,
        submitted_on=_first_submitted_on(request, today),
        # The head's step is skipped only when the head files: never because the head travels.
        applicant_is_unit_head=_heads_unit(reads.roles, request.created_by_id, request.unit_id),
        attachment_kinds=reads.attachment_kinds,
    )


def inbound_facts(
    visit: Any, *, today: datetime.date | None = None, reads: DossierReads | None = None
) -> InboundFacts:
    """The facts of an inbound visit and its visitors.

    Lead times run from the first submission once there is one, so a decision or an amendment
    later does not make a dossier filed in time look late. ``reads``: as for
    :func:`outbound_facts`.
    """
    today = today or timezone.localdate()
    reads = _reads_for(visit, today, reads)
    assert reads.visitors is not None and reads.unit is not None and reads.roles is not None
    visitors = tuple(VisitorFacts(**_as_stored(v, VISITOR_AS_STORED)) for v in reads.visitors)
    submitted_on = _first_submitted_on(visit, today)
    return InboundFacts(
        **_as_stored(visit, INBOUND_AS_STORED),
        host_unit=unit_facts(reads.unit),
        visitors=visitors,
        purpose_text=visit.purpose,
        submitted_on=submitted_on,
        applicant_is_unit_head=_heads_unit(reads.roles, visit.created_by_id, visit.unit_id),
    )


def facts_for(
    request: Any, on: datetime.date | None = None, *, reads: DossierReads | None = None
) -> Any:
    """Facts for any request the rule pack knows, as of ``on`` (default today)."""
    kind = getattr(request, "request_kind", None)
    if kind == "outbound":
        return outbound_facts(request, today=on, reads=reads)
    if kind == "inbound":
        return inbound_facts(request, today=on, reads=reads)
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
    result = evaluate_facts(facts, params=params, on=day, calendar=calendar)
    return dataclasses.replace(
        result, ruleset_version=version_id, checks=localised_checks(result.checks)
    )


def localised_checks(checks: tuple[Check, ...]) -> tuple[Check, ...]:
    """The checks with the city's own texts in their bases (the admin's jurisdiction row)."""
    jurisdiction = Jurisdiction.effective()
    texts = jurisdiction.rule_bases if isinstance(jurisdiction.rule_bases, dict) else {}
    return tuple(
        dataclasses.replace(
            check,
            basis=local_basis(
                check.basis,
                texts,
                city=jurisdiction.city_short,
                department=jurisdiction.department_short,
            ),
        )
        for check in checks
    )


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
    roles: Collection[RoleAssignment] | None = None,
) -> list[StepApprovers]:
    """For each step, the users holding its role on ``on`` in the step's unit.

    Acting holders come with ``acting_for``; a holder who is being acted for that day is left
    out (the task goes to whoever holds the role that day). ``exclude_user_ids`` removes people
    who may not decide (the applicant, the members: separation of duties).

    ``roles``: the role assignments in force on ``on`` already read for ``unit``
    (:class:`delegations.dossier_reads.DossierReads`: a superset, narrowed here), whose ``unit``
    was read with its managing authority and parent; without them both are read here.
    """
    steps = list(steps)
    if roles is None:
        unit = Unit.objects.select_related("managing_authority", "parent").get(pk=unit.pk)
    ward = unit if unit.kind == UnitKind.WARD else unit.managing_authority
    targets: dict[str, Unit | None] = {
        OWN_UNIT: unit,
        MANAGING_WARD: ward if ward is not None and ward.kind == UnitKind.WARD else None,
        DEPARTMENT: None,
    }
    if any(s.unit == DEPARTMENT for s in steps):
        targets[DEPARTMENT] = _department_of(unit)
    step_roles = {role for s in steps for role in s.roles}
    found = [t for t in targets.values() if t is not None]
    unit_q = Q(unit__in=found)
    if targets[DEPARTMENT] is not None:
        unit_q |= Q(unit__parent=targets[DEPARTMENT], unit__kind=UnitKind.DEPARTMENT_OFFICE)
    if roles is not None and set(step_roles) <= set(STEP_ROLES):
        # The steps' units and roles are among those read; each step narrows them below.
        holders = [r for r in roles if r.role in step_roles]
    else:
        holders = list(
            RoleAssignment.objects.effective_on(on)
            .filter(unit_q, role__in=step_roles)
            .select_related("user__person", "unit")
            .order_by("user__username")
        )
    acting = list(
        ActingAssignment.objects.effective_on(on)
        .filter(unit_q, role__in=step_roles)
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


# --- The head's step: who takes it on the day (DOMAIN.md §2, separation of duties) ---------

#: Where the head's step goes.
HEAD_SKIPPED = "skipped"  # the head files: the step is the head's own proposal
HEAD_UNIT = "unit"  # a head (or the person acting for the head) who is no party takes it
HEAD_AUTHORITY = "authority"  # the head travels and nobody acts: the managing authority


@dataclass(frozen=True)
class HeadStep:
    """Who takes the unit head's step of a request on a day."""

    mode: str
    #: Users who may take it in the unit (holders who are no party, acting users).
    takers: tuple[int, ...] = ()
    #: The person acting that day for a head who travels (the task goes straight to them).
    acting_for_traveller: int | None = None
    #: Some head of the unit travels in the delegation (without having filed it).
    head_travels: bool = False


def request_parties(request: Any, *, deciding: bool = False) -> set[int]:
    """User ids who may not decide: the applicant and every traveller with a log-in.

    Read once per unit of work (:mod:`config.memo`): the decision's guard and the notice to
    the next step's holders share it. ``deciding``: asked by a decision's guard, whose facts
    read the travellers next; they are read once for both (:func:`decision_members`).
    """
    return set(
        memoized(
            ("request_parties", request.request_kind, request.pk),
            lambda: _parties(request, deciding),
        )
    )


def _parties(request: Any, deciding: bool) -> frozenset[int]:
    parties = {request.created_by_id} if request.created_by_id else set()
    members = getattr(request, "members", None)
    if members is not None and deciding:
        rows = decision_members(request, today=timezone.localdate()).members
        parties |= {m.person.user_id for m in rows if m.person.user_id}
    elif members is not None:
        parties |= {uid for uid in members.values_list("person__user_id", flat=True) if uid}
    return frozenset(parties)


def head_step_for(request: Any, on: datetime.date | None = None) -> HeadStep:
    """Who takes the unit head's step (three queries).

    Skipped only when a head of the unit (or the person acting for one) files the request, or
    when the unit is the department itself (its head is the Director, who decides later). When
    every head travels in the delegation, the person acting for a head that day takes it; when
    nobody acts, the managing authority does (``HEAD_AUTHORITY``).
    """
    day = on or timezone.localdate()
    unit = Unit.objects.only("kind").get(pk=request.unit_id)
    if unit.kind == UnitKind.DEPARTMENT:
        return HeadStep(HEAD_SKIPPED)
    heads = set(
        RoleAssignment.objects.effective_on(day)
        .filter(role=Role.UNIT_HEAD, unit_id=request.unit_id)
        .values_list("user_id", flat=True)
    )
    acting = list(
        ActingAssignment.objects.effective_on(day)
        .filter(role=Role.UNIT_HEAD, unit_id=request.unit_id)
        .values_list("acting_user_id", "holder_id")
    )
    if request.created_by_id in heads or any(a == request.created_by_id for a, _h in acting):
        return HeadStep(HEAD_SKIPPED)
    parties = request_parties(request)
    away = {holder for _a, holder in acting}
    takers = [u for u in sorted(heads) if u not in parties and u not in away]
    takers += [a for a, _h in acting if a not in parties and a not in takers]
    travels = bool(heads & parties)
    for_traveller = next((a for a, h in acting if h in parties and a not in parties), None)
    if takers:
        return HeadStep(HEAD_UNIT, tuple(takers), for_traveller, travels)
    if travels:
        return HeadStep(HEAD_AUTHORITY, (), None, True)
    return HeadStep(HEAD_UNIT, (), None, False)


# --- What an approval covers: the dossier's decision-relevant content ----------------------

#: Attachments whose content an approval covers (the types a dossier is required to carry).
COVERED_ATTACHMENTS = (
    AttachmentKind.INVITATION,
    AttachmentKind.CV,
    AttachmentKind.PROGRAMME,
    AttachmentKind.COST_ESTIMATE,
    AttachmentKind.SPEECH,
    AttachmentKind.VISITOR_LIST,
)

#: The sections of a dossier an approval covers, as the request page names them.
CONTENT_SECTIONS: dict[str, Promise] = {
    "kind": _("Loại chuyến đi"),
    "members": _("Thành viên đoàn và vai trò"),
    "dates": _("Thời gian"),
    "itinerary": _("Quốc gia, thành phố"),
    "purpose": _("Nội dung, mục đích"),
    "inviter": _("Bên mời"),
    "funding": _("Kinh phí"),
    "programme": _("Chương trình làm việc"),
    "host": _("Đơn vị đón"),
    "visitors": _("Danh sách khách"),
    "sponsorship": _("Tài trợ, doanh nghiệp, hội nghị"),
    "attachments": _("Tài liệu kèm theo"),
}


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _attachments_content(rows: Iterable[tuple[str, str]]) -> list[list[str]]:
    covered = {str(k) for k in COVERED_ATTACHMENTS}
    return sorted([kind, sha] for kind, sha in rows if kind in covered)


def _outbound_content(request: Any, reads: DossierReads) -> dict[str, Any]:
    assert reads.members is not None and reads.stops is not None
    members = sorted(
        [m.person_id, m.role, m.passport_id, m.relative_of_id] for m in reads.members.members
    )
    stops = [[s.country, s.days, s.cities, s.major_event] for s in reads.stops]
    return {
        "kind": [request.kind],
        "members": members,
        "dates": [request.departure_date, request.return_date],
        "itinerary": stops,
        "purpose": [request.purpose_category, request.purpose, request.expected_results],
        "inviter": [
            request.inviter_name,
            request.inviter_country,
            request.inviter_is_enterprise,
            request.named_invitation,
            request.partner_id,
            request.agreement_id,
        ],
        "funding": [
            request.funding_source,
            request.funding_details,
            request.estimated_cost,
            request.sponsored_by_enterprise,
            request.tied_to_contract,
        ],
        "attachments": _attachments_content(reads.attachments or ()),
    }


def _inbound_content(visit: Any, reads: DossierReads) -> dict[str, Any]:
    assert reads.visitors is not None
    visitors = [
        [
            v.full_name,
            v.nationality,
            v.passport_number,
            v.passport_expiry,
            v.date_of_birth,
            v.organisation,
            v.title,
        ]
        for v in reads.visitors
    ]
    return {
        "host": [visit.unit_id, visit.organisation, visit.country],
        "dates": [visit.arrival_date, visit.departure_date],
        "visitors": visitors,
        "purpose": [visit.purpose_category, visit.purpose],
        "programme": [
            visit.programme,
            visit.venues,
            visit.press_coverage,
        ],
        "sponsorship": [
            visit.sponsor,
            visit.enterprise_involved,
            visit.involves_student_recruitment,
            visit.involves_advertising,
            visit.is_conference,
            visit.senior_guest_level,
            visit.prime_minister_decides,
        ],
        "attachments": _attachments_content(reads.attachments or ()),
    }


def dossier_content(request: Any, reads: DossierReads | None = None) -> dict[str, str]:
    """A SHA-256 digest per section of the decision-relevant content of a request or visit.

    Stable: the same dossier gives the same digests whatever the order rows were added in
    (members and attachments are sorted; the itinerary and visitors keep their order, which
    the dossier states). What changed between two dossiers is the sections whose digests differ.
    ``reads``: the rows a decision read for its facts too
    (:func:`delegations.dossier_reads.decision_reads`); by default only what the content needs.
    """
    if reads is None:
        reads = content_reads(request, on=timezone.localdate())
    if request.request_kind == "outbound":
        content = _outbound_content(request, reads)
    else:
        content = _inbound_content(request, reads)
    return {section: _digest(value) for section, value in content.items()}


def facts_digest(facts: Any, ruleset_version: int | None, calendar: WorkingCalendar) -> str:
    """One SHA-256 over everything an evaluation depends on besides the day: the facts, the
    rule-set version and the calendar's changes (the rule pack is pure over these)."""

    def plain(value: Any) -> Any:
        if isinstance(value, set | frozenset):
            return sorted(value, key=str)
        return str(value)

    text = json.dumps(
        {
            "facts": dataclasses.asdict(facts),
            "version": ruleset_version,
            "off": sorted(calendar.extra_days_off),
            "working": sorted(calendar.extra_working_days),
        },
        sort_keys=True,
        ensure_ascii=False,
        default=plain,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dossier_fingerprint(content: dict[str, str]) -> str:
    """One SHA-256 over the section digests: what an approval records."""
    return _digest(content)


def changed_sections(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The sections whose content differs (in the order :data:`CONTENT_SECTIONS` lists them)."""
    return [s for s in CONTENT_SECTIONS if before.get(s) != after.get(s)]


# --- Every step has someone ---------------------------------------------------------------


def steps_without_holder(request: Any, steps: Iterable[Step], on: datetime.date) -> list[Step]:
    """The steps of the route nobody could take on ``on`` (parties excluded).

    The unit head's step has someone when a head or acting head who is no party holds it, or,
    when the head travels, when the managing authority's step has a holder.
    """
    steps = list(steps)
    parties = request_parties(request)
    unit = Unit.objects.get(pk=request.unit_id)
    resolved = resolve_approvers(steps, unit=unit, on=on, exclude_user_ids=parties)
    missing: list[Step] = []
    for item in resolved:
        if item.step.kind != "unit_head":
            if not item.approvers:
                missing.append(item.step)
            continue
        head = head_step_for(request, on)
        if head.mode == HEAD_UNIT and head.takers:
            continue
        if head.mode == HEAD_AUTHORITY and authority_has_holder(unit, on, parties):
            continue
        missing.append(item.step)
    return missing


def authority_has_holder(unit: Unit, on: datetime.date, parties: Collection[int]) -> bool:
    """Whether the managing authority (the ward chair, else a department reviewer) has someone."""
    roles: tuple[str, ...]
    if unit.is_ward_managed:
        roles, scope_q = (Role.WARD_CHAIR,), Q(unit_id=unit.managing_authority_id)
    else:
        department = _department_of(unit)
        if department is None:
            return False
        roles = (Role.DEPT_REVIEWER, Role.DEPT_OFFICE_HEAD)
        scope_q = Q(unit=department) | Q(
            unit__parent=department, unit__kind=UnitKind.DEPARTMENT_OFFICE
        )
    holders = RoleAssignment.objects.effective_on(on).filter(scope_q, role__in=roles)
    acting = ActingAssignment.objects.effective_on(on).filter(scope_q, role__in=roles)
    return (
        holders.exclude(user_id__in=parties).exists()
        or acting.exclude(acting_user_id__in=parties).exists()
    )


# --- Steps nobody holds, over the whole directory (the administrators' page) ---------------

#: Units that file trips or host visits: every route they can take needs someone at each step.
FILING_UNIT_KINDS = (UnitKind.SCHOOL, UnitKind.DEPARTMENT, UnitKind.DEPARTMENT_OFFICE)


def reachable_routes(values: dict[str, Any], managed_by: str) -> list[Route]:
    """The routes the authority matrix can give a unit managed by ``managed_by``.

    Every outbound column of the rows that can describe its people (leaders, staff, head), the
    inbound route of a host so managed, conferences and senior guests, each also one level up
    (route rules raise a route by one level).
    """
    outbound = values["authority"]["outbound"]
    inbound = values["authority"]["inbound"]
    staff = f"{managed_by}_staff" if f"{managed_by}_staff" in outbound else "department_staff"
    rows = ["leaders", staff] + [r for r in (f"{managed_by}_head",) if r in outbound]
    found = {Route(outbound[row][column]) for row in rows for column in COLUMNS}
    found.add(Route(inbound.get(f"host_{managed_by}", inbound["host_department"])))
    found |= {Route(inbound["conference"]), Route(inbound["city_guest_route"])}
    found |= {route.one_level_up() for route in found}
    return sorted(found, key=lambda route: route.level)


@dataclass(frozen=True)
class UnheldStep:
    """A step of a route that nobody holds on the day, for one unit."""

    unit: Unit
    #: The step lists of the authority matrix that have this step (``DEPT``, ``CITY_VIA_WARD``).
    routes: tuple[str, ...]
    step: StepKind
    #: Where the step's role must be held (the unit, its ward, the department), if there is one.
    where: Unit | None

    @property
    def role_labels(self) -> str:
        return " / ".join(str(Role(role).label) for role in self.step.roles)


def _department_in(unit: Unit, units: dict[int, Unit], first: Unit | None) -> Unit | None:
    """:meth:`Unit.department` over units already loaded (no query per unit)."""
    current: Unit | None = unit
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        if current.kind == UnitKind.DEPARTMENT:
            return current
        seen.add(current.pk)
        up = current.managing_authority_id or current.parent_id
        current = units.get(up) if up else None
    return first


def unheld_steps(on: datetime.date | None = None) -> list[UnheldStep]:
    """Every unit × step of the authority matrix that no one holds on ``on`` (default: today).

    A step is held when someone holds one of its roles, by role or acting assignment, in the
    step's unit: the unit itself (unit head), its managing ward (ward chair) or the department
    and its offices. Active units that file or host only; four queries whatever their number.
    """
    day = on or timezone.localdate()
    _version, params = ruleset_params_in_force(day)
    values = as_param_set(params).values
    units = {u.pk: u for u in Unit.objects.filter(is_active=True)}
    first_department = min(
        (u for u in units.values() if u.kind == UnitKind.DEPARTMENT),
        key=lambda u: u.pk,
        default=None,
    )
    roles = {role for kind in STEP_KINDS.values() for role in kind.roles}
    held = set(
        RoleAssignment.objects.effective_on(day)
        .filter(role__in=roles, unit__is_active=True)
        .values_list("role", "unit_id")
    ) | set(
        ActingAssignment.objects.effective_on(day)
        .filter(role__in=roles, unit__is_active=True)
        .values_list("role", "unit_id")
    )
    offices: dict[int, list[int]] = {}
    for unit in units.values():
        if unit.kind == UnitKind.DEPARTMENT_OFFICE and unit.parent_id:
            offices.setdefault(unit.parent_id, []).append(unit.pk)

    missing: list[UnheldStep] = []
    for unit in sorted(units.values(), key=lambda u: u.code):
        if unit.kind not in FILING_UNIT_KINDS:
            continue
        ward = units.get(unit.managing_authority_id or 0)
        # As unit_facts: the ward, the city (the department itself) or the department manages it.
        if ward is not None and ward.kind == UnitKind.WARD:
            managed_by = "ward"
        elif unit.kind == UnitKind.DEPARTMENT:
            managed_by = "city"
        else:
            managed_by = "department"
        department = _department_in(unit, units, first_department)
        scopes: dict[str, tuple[Unit | None, list[int]]] = {
            OWN_UNIT: (unit, [unit.pk]),
            MANAGING_WARD: (ward, [ward.pk])
            if ward is not None and ward.kind == UnitKind.WARD
            else (None, []),
            DEPARTMENT: (department, [department.pk, *offices.get(department.pk, [])])
            if department is not None
            else (None, []),
        }
        routes: dict[str, list[str]] = {}
        for route in reachable_routes(values, managed_by):
            key = steps_key(route, managed_by, unit.kind)
            for kind_key in route_steps(values["authority"]["steps"], route, managed_by, unit.kind):
                step = STEP_KINDS[kind_key]
                scope = scopes[step.unit][1]
                if not any((role, pk) in held for role in step.roles for pk in scope):
                    routes.setdefault(kind_key, []).append(key)
        missing += [
            UnheldStep(unit, tuple(keys), STEP_KINDS[k], scopes[STEP_KINDS[k].unit][0])
            for k, keys in routes.items()
        ]
    return missing


# --- Which approvals stand ----------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalState:
    """One approval on file and whether it still covers the dossier."""

    decision: Any  # approvals.models.Decision
    stands: bool
    #: Labels of the sections that changed since (empty while it stands).
    changed: tuple[str, ...]


def approvals_on_file(request: Any) -> list[Decision]:
    """Every approval of the request's main flow that recorded the content it covered."""
    return list(
        Decision.objects.filter(
            request_kind=request.request_kind, request_id=request.pk, action="approve"
        )
        .exclude(fingerprint="")
        .select_related("actor__person", "acting_for")
        .order_by("created_at", "pk")
    )


def approval_states(
    request: Any, *, decisions: list[Decision] | None = None
) -> list[ApprovalState]:
    """The approvals on file, standing or lapsed (and why), oldest first.

    ``decisions``: every decision of the request, already read (in their order, oldest first):
    the approvals on file are picked from them instead of read again.
    """
    on_file = (
        approvals_on_file(request)
        if decisions is None
        else [d for d in decisions if d.action == "approve" and d.fingerprint != ""]
    )
    return [
        ApprovalState(
            decision=d,
            stands=d.lapsed_at is None,
            changed=tuple(str(CONTENT_SECTIONS.get(s, s)) for s in d.lapse_sections or ()),
        )
        for d in on_file
    ]


def lapsed_steps(request: Any) -> set[str]:
    """The steps whose latest approval lapsed: they are taken again at the resubmission."""
    latest: dict[str, Decision] = {}
    for decision in approvals_on_file(request):
        latest[decision.step] = decision
    return {step for step, d in latest.items() if d.lapsed_at is not None}
