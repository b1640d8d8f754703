"""Reads of requests, always scoped to what the user may see."""

from __future__ import annotations

import datetime
import operator
from functools import reduce
from typing import TypeVar, cast

from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from approvals.permissions import units_in_scope
from delegations.kinds import (
    INBOUND,
    KINDS,
    OUTBOUND,
    AnyUser,
    request_get_for_user,
    request_list_for_user,
)
from delegations.models import (
    Agreement,
    AgreementActivity,
    AgreementStatus,
    Attachment,
    InboundVisit,
    MemberConfirmation,
    OutboundMember,
    OutboundRequest,
    RequestStatus,
)
from delegations.models.common import ACTIVE_TRIP_STATUSES
from org.models import Unit, UnitKind

_R = TypeVar("_R", bound=Model)


def membership_confirmations_for_user(*, user: AnyUser) -> list[OutboundMember]:
    """Delegations (drafts or returned) that name the user and wait for their confirmation."""
    if not user.is_authenticated:
        return []
    return list(
        OutboundMember.objects.filter(
            person__user=user.pk,
            confirmation=MemberConfirmation.PENDING,
            request__status__in=[RequestStatus.DRAFT, RequestStatus.RETURNED],
        )
        .select_related("request", "request__created_by__person", "request__unit")
        .order_by("request__departure_date", "pk")[:50]
    )


def _filtered(
    qs: QuerySet[_R],
    *,
    status: str | None,
    unit_code: str | None,
    q: str | None,
    searched: tuple[str, ...],
) -> QuerySet[_R]:
    """A request list filtered by status, unit and text (any of the ``searched`` fields holds
    ``q``, case-insensitive), newest first."""
    if status:
        qs = qs.filter(status=status)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if q:
        qs = qs.filter(reduce(operator.or_, (Q(**{f"{f}__icontains": q}) for f in searched)))
        qs = qs.distinct()
    return qs.order_by("-id")


def outbound_list_for_user(
    *, user: AnyUser, status: str | None = None, unit_code: str | None = None, q: str | None = None
) -> QuerySet[OutboundRequest]:
    """Outbound requests the user may open, newest first, with what list pages show."""
    qs: QuerySet[OutboundRequest] = request_list_for_user(user=user, kind=OUTBOUND)
    searched = ("reference", "purpose", "members__person__full_name")
    return _filtered(qs, status=status, unit_code=unit_code, q=q, searched=searched)


def outbound_get_for_user(*, user: AnyUser, pk: int) -> OutboundRequest:
    """One request, or 404 when it does not exist or the user may not see it."""
    return cast(OutboundRequest, request_get_for_user(user=user, kind=OUTBOUND, pk=pk))


def inbound_list_for_user(
    *, user: AnyUser, status: str | None = None, unit_code: str | None = None, q: str | None = None
) -> QuerySet[InboundVisit]:
    """Inbound visits the user may open, newest first.

    The host unit's author, clerks and heads; the deciding authority (ward, department); the
    department office for ward decisions it was informed of; auditors. Others see nothing.
    """
    qs: QuerySet[InboundVisit] = request_list_for_user(user=user, kind=INBOUND)
    searched = ("reference", "organisation", "purpose", "visitors__full_name")
    return _filtered(qs, status=status, unit_code=unit_code, q=q, searched=searched)


def inbound_get_for_user(*, user: AnyUser, pk: int) -> InboundVisit:
    """One visit, or 404 when it does not exist or the user may not see it."""
    return cast(InboundVisit, request_get_for_user(user=user, kind=INBOUND, pk=pk))


def official_trip_counts(
    *, person_ids: list[int], year: int, exclude_request: int | None = None
) -> dict[int, int]:
    """Official trips pending or approved in the calendar year, per person (one query)."""
    rows = (
        OutboundMember.objects.filter(
            person_id__in=person_ids,
            request__kind="official",
            request__status__in=ACTIVE_TRIP_STATUSES,
            request__departure_date__year=year,
        )
        .exclude(request_id=exclude_request)
        .values("person_id")
        .annotate(n=Count("request_id", distinct=True))
    )
    return {row["person_id"]: row["n"] for row in rows}


def overlapping_trips(
    *,
    person_ids: list[int],
    start: datetime.date,
    end: datetime.date,
    exclude_request: int | None = None,
) -> dict[int, list[str]]:
    """Other pending or approved trips whose dates overlap [start, end], per person."""
    rows = (
        OutboundMember.objects.filter(
            person_id__in=person_ids,
            request__status__in=ACTIVE_TRIP_STATUSES - {RequestStatus.CLOSED},
            request__departure_date__lte=end,
            request__return_date__gte=start,
        )
        .exclude(request_id=exclude_request)
        .values_list("person_id", "request__reference", "request_id")
    )
    result: dict[int, list[str]] = {}
    for person_id, reference, request_id in rows:
        result.setdefault(person_id, []).append(reference or f"#{request_id}")
    return result


def open_duties(
    *, person_ids: list[int], today: datetime.date, exclude_request: int | None = None
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """(overdue post-trip reports, official passports not returned in time), per person."""
    overdue: dict[int, list[str]] = {}
    passports: dict[int, list[str]] = {}
    rows = (
        OutboundMember.objects.filter(person_id__in=person_ids)
        .filter(
            Q(
                request__report_due__lt=today,
                request__report_submitted_at__isnull=True,
                request__status="returned_home",
            )
            | Q(passport_due_on__lt=today, passport_returned_on__isnull=True)
        )
        .exclude(request_id=exclude_request)
        .values_list(
            "person_id",
            "request__reference",
            "request__report_due",
            "request__report_submitted_at",
            "request__status",
            "passport_due_on",
            "passport_returned_on",
        )
    )
    for person_id, ref, report_due, report_at, status, pp_due, pp_back in rows:
        if report_due and report_due < today and report_at is None and status == "returned_home":
            overdue.setdefault(person_id, []).append(ref or "")
        if pp_due and pp_due < today and pp_back is None:
            passports.setdefault(person_id, []).append(ref or "")
    return overdue, passports


def attachment_list_for_request(request: OutboundRequest | InboundVisit) -> QuerySet[Attachment]:
    """The files of a request or visit the caller already may see, oldest first."""
    return Attachment.objects.filter(
        request_kind=request.request_kind, request_id=request.pk
    ).select_related("uploaded_by__person")


def attachment_get_for_user(*, user: AnyUser, pk: int) -> Attachment:
    """One attachment of a request or visit the user may open; 404 otherwise, as for a missing one.

    Visibility is the owner's: :func:`delegations.kinds.request_get_for_user` decides.
    """
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None or attachment.request_kind not in KINDS:
        raise Http404(_("Không tìm thấy tài liệu."))
    request_get_for_user(user=user, kind=attachment.request_kind, pk=attachment.request_id)
    return attachment


# --- the MOU register ------------------------------------------------------------------------


def agreement_list_for_user(
    *, user: AnyUser, status: str | None = None, unit_code: str | None = None, q: str | None = None
) -> QuerySet[Agreement]:
    """MOUs of the units whose records the user may read: a unit its own, the department (and
    auditors) all of them."""
    qs = Agreement.objects.filter(unit__in=units_in_scope(user)).select_related("partner", "unit")
    if status:
        qs = qs.filter(status=status)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(partner__name__icontains=q) | Q(partner__name_en__icontains=q)
        )
    return qs.order_by("-id")


def agreement_get_for_user(*, user: AnyUser, pk: int) -> Agreement:
    """One MOU, or 404 when it does not exist or the user may not see it."""
    found = agreement_list_for_user(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("Không tìm thấy biên bản ghi nhớ."))
    return found


def agreement_choices(unit: Unit | None) -> QuerySet[Agreement]:
    """The MOUs a request of ``unit`` may be linked to: the unit's own and the Sở's, signed and
    not ended."""
    live = (AgreementStatus.IN_FORCE, AgreementStatus.EXPIRING, AgreementStatus.APPROVED)
    qs = Agreement.objects.filter(status__in=live).select_related("partner")
    if unit is None:
        return qs.order_by("-id")
    return qs.filter(Q(unit=unit) | Q(unit__kind=UnitKind.DEPARTMENT)).order_by("-id")


def agreement_link_error(agreement_id: int | None, unit: Unit) -> str | None:
    """Why a request of ``unit`` may not name this MOU (``None``: it may)."""
    if agreement_id is None or agreement_choices(unit).filter(pk=agreement_id).exists():
        return None
    return _("Chỉ liên kết với biên bản ghi nhớ đang có hiệu lực của đơn vị mình hoặc của Sở.")


def agreement_activities(agreement: Agreement) -> list[dict[str, object]]:
    """Its activities, by date: free entries, linked trips (not drafts, not refused), linked
    visits."""
    gone = ("draft", "rejected", "withdrawn", "cancelled")
    rows: list[dict[str, object]] = [
        {"kind": "activity", "date": a.held_on, "text": a.description, "id": a.pk}
        for a in AgreementActivity.objects.filter(agreement=agreement)
    ]
    rows += [
        {"kind": "outbound", "date": r.departure_date, "text": r.reference or r.purpose, "id": r.pk}
        for r in OutboundRequest.objects.filter(agreement=agreement).exclude(status__in=gone)
    ]
    rows += [
        {
            "kind": "inbound",
            "date": v.arrival_date,
            "text": v.reference or v.organisation,
            "id": v.pk,
        }
        for v in InboundVisit.objects.filter(agreement=agreement).exclude(status__in=gone)
    ]
    return sorted(rows, key=lambda row: (str(row["date"]), str(row["kind"])))
