"""What a dossier's page and the rule pack's facts both read, read once.

The request page shows the travellers with their official trips this year; for a draft or a
returned dossier it also shows the rule pack's live preview, whose facts are the same travellers
with their other trips, the itinerary, the attachments, the unit and the roles people hold, and
whose approvers are the holders of the route's steps. Each of these is one query here, whatever
the number of travellers, and the page hands what it read to the facts (:class:`DossierReads`)
instead of the facts reading it again.

- :func:`dossier_members`: the members of an outbound request and every other membership of
  theirs that a rule looks at (official trips this year, overlapping trips, open duties), in one
  query; :class:`TripHistory` answers each of those questions from the rows.
- :func:`roles_in_force`: the role assignments in force of the given people and of the holders of
  every step a route of the unit can have, in one query; the facts pick the people's roles, the
  approvers (:func:`delegations.facts.resolve_approvers`) the holders.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from config.memo import memo_recall, memoized
from config.query import loaded_with
from delegations.models import Attachment, OutboundMember, OutboundStop, RequestStatus, Visitor
from delegations.models.common import ACTIVE_TRIP_STATUSES
from org.models import RoleAssignment, Unit, UnitKind
from workflow.rules.timing import STEP_KINDS

#: The statuses of a trip that counts towards the yearly quota (pending or approved).
_COUNTED = frozenset(str(s) for s in ACTIVE_TRIP_STATUSES)
#: The statuses of a trip whose dates may clash with another (a closed trip is over).
_UNDER_WAY = _COUNTED - {str(RequestStatus.CLOSED)}
_RETURNED_HOME = "returned_home"

#: Every role a step of some route is taken in (unit head, ward chair, the department's roles).
STEP_ROLES = tuple(sorted({role for kind in STEP_KINDS.values() for role in kind.roles}))


@dataclass(frozen=True)
class Membership:
    """A person's place on a trip, with the trip's fields the rules ask about."""

    person_id: int
    request_id: int
    reference: str | None
    kind: str
    status: str
    departure_date: datetime.date
    return_date: datetime.date
    report_due: datetime.date | None
    report_submitted_at: datetime.datetime | None
    passport_due_on: datetime.date | None
    passport_returned_on: datetime.date | None


@dataclass(frozen=True)
class TripHistory:
    """Memberships of some people, newest trip first; each method is the question a rule asks.

    Every row a question needs is here (:func:`trip_history_q`); each method filters the rows as
    its own query once did, so the answers are the same.
    """

    rows: tuple[Membership, ...]

    def official_counts(self, year: int, *, exclude_request: int | None = None) -> dict[int, int]:
        """Official trips pending or approved in the calendar year, per person."""
        trips: dict[int, set[int]] = {}
        for row in self.rows:
            if (
                row.request_id != exclude_request
                and row.kind == "official"
                and row.status in _COUNTED
                and row.departure_date.year == year
            ):
                trips.setdefault(row.person_id, set()).add(row.request_id)
        return {person: len(ids) for person, ids in trips.items()}

    def overlapping(
        self, start: datetime.date, end: datetime.date, *, exclude_request: int | None = None
    ) -> dict[int, list[str]]:
        """Other pending or approved trips whose dates overlap [start, end], per person."""
        result: dict[int, list[str]] = {}
        for row in self.rows:
            if (
                row.request_id != exclude_request
                and row.status in _UNDER_WAY
                and row.departure_date <= end
                and row.return_date >= start
            ):
                result.setdefault(row.person_id, []).append(row.reference or f"#{row.request_id}")
        return result

    def open_duties(
        self, today: datetime.date, *, exclude_request: int | None = None
    ) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
        """(overdue post-trip reports, official passports not returned in time), per person."""
        overdue: dict[int, list[str]] = {}
        passports: dict[int, list[str]] = {}
        for row in self.rows:
            if row.request_id == exclude_request:
                continue
            if (
                row.report_due is not None
                and row.report_due < today
                and row.report_submitted_at is None
                and row.status == _RETURNED_HOME
            ):
                overdue.setdefault(row.person_id, []).append(row.reference or "")
            if (
                row.passport_due_on is not None
                and row.passport_due_on < today
                and row.passport_returned_on is None
            ):
                passports.setdefault(row.person_id, []).append(row.reference or "")
        return overdue, passports


def trip_history_q(
    *, year: int, start: datetime.date, end: datetime.date, today: datetime.date
) -> Q:
    """The memberships any question of :class:`TripHistory` looks at (each filters again)."""
    return (
        Q(
            request__kind="official",
            request__status__in=ACTIVE_TRIP_STATUSES,
            request__departure_date__year=year,
        )
        | Q(
            request__status__in=ACTIVE_TRIP_STATUSES - {RequestStatus.CLOSED},
            request__departure_date__lte=end,
            request__return_date__gte=start,
        )
        | Q(
            request__report_due__lt=today,
            request__report_submitted_at__isnull=True,
            request__status=_RETURNED_HOME,
        )
        | Q(passport_due_on__lt=today, passport_returned_on__isnull=True)
    )


#: The trip's fields a :class:`Membership` carries, read alongside each member row.
_TRIP_FIELDS = {
    "trip_reference": F("request__reference"),
    "trip_kind": F("request__kind"),
    "trip_status": F("request__status"),
    "trip_departure": F("request__departure_date"),
    "trip_return": F("request__return_date"),
    "trip_report_due": F("request__report_due"),
    "trip_report_submitted_at": F("request__report_submitted_at"),
}


def _membership(row: Any) -> Membership:
    return Membership(
        person_id=row.person_id,
        request_id=row.request_id,
        reference=row.trip_reference,
        kind=row.trip_kind,
        status=row.trip_status,
        departure_date=row.trip_departure,
        return_date=row.trip_return,
        report_due=row.trip_report_due,
        report_submitted_at=row.trip_report_submitted_at,
        passport_due_on=row.passport_due_on,
        passport_returned_on=row.passport_returned_on,
    )


@dataclass(frozen=True)
class DossierMembers:
    """The members of an outbound request (in the dossier's order, ``-role`` then id) with their
    people, units, managing authorities and passports; and their trips, this one included."""

    members: tuple[OutboundMember, ...]
    trips: TripHistory


def dossier_members(request: Any, *, today: datetime.date) -> DossierMembers:
    """The request's members and the memberships of theirs that the rules ask about (one query).

    The rows come in the members' own order (newest trip first, then role and id: the model's
    ordering), so the members are listed as ``order_by("-role", "pk")`` lists them and each
    person's other trips in the order the rules have always listed them.
    """
    travellers = OutboundMember.objects.filter(request_id=request.pk).values("person_id")
    history = trip_history_q(
        year=request.departure_date.year,
        start=request.departure_date,
        end=request.return_date,
        today=today,
    )
    rows = list(
        OutboundMember.objects.filter(Q(request_id=request.pk) | Q(history, person__in=travellers))
        .select_related("person__unit__managing_authority", "passport")
        .annotate(**_TRIP_FIELDS)
        .order_by("-request__created_at", "-role", "id")
    )
    return DossierMembers(
        members=tuple(row for row in rows if row.request_id == request.pk),
        trips=TripHistory(tuple(_membership(row) for row in rows)),
    )


def unit_with_authorities(request: Any) -> Unit:
    """The request's unit with its managing authority and parent (who decides for it): the
    request's own when it was read with them (as :func:`delegations.kinds.request_get_for_user`
    reads it), else one query."""
    if loaded_with(request, "unit"):
        unit: Unit = request.unit
        if loaded_with(unit, "managing_authority") and loaded_with(unit, "parent"):
            return unit
    return Unit.objects.select_related("managing_authority", "parent").get(pk=request.unit_id)


def deciding_units_q(unit: Unit) -> Q:
    """Units a step of a request of ``unit`` may be decided in, and a few more: the unit, its
    managing ward, and every department and department office (the department is one of them)."""
    ward = unit if unit.kind == UnitKind.WARD else unit.managing_authority
    own = [unit.pk] + ([ward.pk] if ward is not None and ward.kind == UnitKind.WARD else [])
    return Q(unit_id__in=own) | Q(unit__kind__in=(UnitKind.DEPARTMENT, UnitKind.DEPARTMENT_OFFICE))


def roles_in_force(
    on: datetime.date, *, user_ids: Collection[int], unit: Unit
) -> tuple[RoleAssignment, ...]:
    """Role assignments in force on ``on``: every one of ``user_ids`` (the dossier's people), and
    those of a step's role in the units that may decide for ``unit`` (its approvers), one query.

    With the users and their people and the units, ordered by username: the approvers are listed
    in that order.
    """
    return tuple(
        RoleAssignment.objects.effective_on(on)
        .filter(Q(user_id__in=list(user_ids)) | Q(deciding_units_q(unit), role__in=STEP_ROLES))
        .select_related("user__person", "unit")
        .order_by("user__username", "pk")
    )


@dataclass(frozen=True)
class DossierReads:
    """What the facts of a request read on ``on``; a field left ``None`` is read by the facts.

    A page fills what it read for itself (the request page); :func:`complete` reads the rest.
    """

    on: datetime.date
    members: DossierMembers | None = None
    stops: tuple[OutboundStop, ...] | None = None
    visitors: tuple[Visitor, ...] | None = None
    attachment_kinds: frozenset[str] | None = None
    unit: Unit | None = None
    roles: tuple[RoleAssignment, ...] | None = None
    #: ``(kind, sha256)`` of every attachment: what a decision's content fingerprint covers
    #: (the kinds are taken from it when the caller read it).
    attachments: tuple[tuple[str, str], ...] | None = None


def request_attachments(request: Any) -> tuple[tuple[str, str], ...]:
    """``(kind, sha256)`` of the request's or visit's attachments, in one query."""
    return tuple(
        Attachment.objects.filter(
            request_kind=request.request_kind, request_id=request.pk
        ).values_list("kind", "sha256")
    )


def content_reads(request: Any, *, on: datetime.date) -> DossierReads:
    """Only what a dossier's content fingerprint covers: the members, itinerary or visitors,
    and the attachments' digests (a resubmission comparing the dossier with its approvals)."""
    if request.request_kind == "outbound":
        return DossierReads(
            on=on,
            members=dossier_members(request, today=on),
            stops=request_stops(request),
            attachments=request_attachments(request),
        )
    return DossierReads(
        on=on, visitors=request_visitors(request), attachments=request_attachments(request)
    )


def decision_members(request: Any, *, today: datetime.date) -> DossierMembers:
    """:func:`dossier_members` read once per unit of work (:mod:`config.memo`): a decision's
    guard asks who travels (:func:`delegations.facts.request_parties`), its facts what they did.

    Only for a decision, whose unit of work does not change the members.
    """
    return memoized(
        ("decision_members", request.pk, today),
        lambda: dossier_members(request, today=today),
    )


def decision_reads(request: Any, *, on: datetime.date) -> DossierReads:
    """Everything a decision reads of the dossier, once: the facts' rows and the attachments'
    digests that its content fingerprint covers (:func:`delegations.facts.dossier_content`).

    Kept for the unit of work (:mod:`config.memo`): an approval's paperwork in the same step
    (the agencies' letters) reads the travellers and the itinerary from it
    (:func:`decided_reads`).
    """
    return memoized(_reads_key(request, on), lambda: _decision_reads(request, on))


def _reads_key(request: Any, on: datetime.date) -> tuple[str, str, int, datetime.date]:
    return ("decision_reads", request.request_kind, request.pk, on)


def _decision_reads(request: Any, on: datetime.date) -> DossierReads:
    members = decision_members(request, today=on) if request.request_kind == "outbound" else None
    return complete(
        request, DossierReads(on=on, members=members, attachments=request_attachments(request))
    )


def decided_reads(request: Any) -> DossierReads | None:
    """What a decision taken today in this unit of work read of the dossier, if one was: the
    decision's dossier is the one its paperwork describes. ``None`` otherwise (never reads)."""
    reads: DossierReads | None = memo_recall(_reads_key(request, timezone.localdate()))
    return reads


def request_stops(request: Any) -> tuple[OutboundStop, ...]:
    """The itinerary in its order (on the stop's own columns: the model's ordering joins the
    request)."""
    return tuple(request.itinerary.order_by("order", "id"))


def request_visitors(visit: Any) -> tuple[Visitor, ...]:
    """The visit's guests in their order."""
    return tuple(visit.visitors.order_by("order", "pk"))


def complete(request: Any, reads: DossierReads) -> DossierReads:
    """``reads`` with every field the facts of ``request`` need filled (one query for each
    field that was missing; none for a visit's members and itinerary)."""
    filled: dict[str, Any] = {}
    outbound = request.request_kind == "outbound"
    members = reads.members
    if outbound and members is None:
        members = filled["members"] = dossier_members(request, today=reads.on)
    if outbound and reads.stops is None:
        filled["stops"] = request_stops(request)
    if outbound and reads.attachment_kinds is None:
        rows = reads.attachments if reads.attachments is not None else request_attachments(request)
        filled["attachment_kinds"] = frozenset(kind for kind, _sha in rows)
    if not outbound and reads.visitors is None:
        filled["visitors"] = request_visitors(request)
    unit = reads.unit
    if unit is None:
        unit = filled["unit"] = unit_with_authorities(request)
    if reads.roles is None:
        people = {request.created_by_id} if request.created_by_id else set()
        if members is not None:
            people |= {m.person.user_id for m in members.members if m.person.user_id}
        filled["roles"] = roles_in_force(reads.on, user_ids=people, unit=unit)
    return dataclasses.replace(reads, **filled) if filled else reads
