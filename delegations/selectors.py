"""Reads of requests, always scoped to what the user may see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict, Unpack, cast

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from approvals.permissions import units_in_scope
from config.paging import matching, narrowed
from delegations.kinds import (
    INBOUND,
    KINDS,
    OUTBOUND,
    AnyUser,
    request_branches_for_user,
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
from org.models import Unit, UnitKind


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


#: The fields a list's text search looks in, per kind.
_SEARCHED = {
    OUTBOUND: ("reference", "purpose", "members__person__full_name"),
    INBOUND: ("reference", "organisation", "purpose", "visitors__full_name"),
}


def _list_filters(
    kind: str, status: str | None, unit_code: str | None, q: str | None
) -> Callable[[QuerySet[Any]], QuerySet[Any]]:
    """The list's filters as one function, applied to each visibility clause alike: status,
    unit and text (any of the kind's searched fields holds ``q``, case-insensitive)."""

    def narrow(qs: QuerySet[Any]) -> QuerySet[Any]:
        qs = narrowed(qs, status=status, unit__code=unit_code)
        if q:
            qs = qs.filter(matching(q, _SEARCHED[kind])).distinct()
        return qs

    return narrow


def _newest_visible(
    *,
    user: AnyUser,
    kind: str,
    narrow: Callable[[QuerySet[Any]], QuerySet[Any]],
    before: int | None,
    after: int | None,
    limit: int,
) -> QuerySet[Any]:
    """One page of what the user may open: at most ``limit`` rows below ``before`` (newest
    first) or above ``after`` (oldest first), ordered by id the same way.

    Visibility is an OR of clauses (author, unit, route, membership). Asked as one OR,
    PostgreSQL walks the primary key backwards and tests every row until a page is full: the
    whole table for a teacher who sees a dozen trips. Here each clause is read on its own,
    newest first with the page's limit, from its own index (author, unit, membership), and the
    ids are merged with ``UNION``; the page is the first ``limit`` of the merge, which holds the
    page of the OR because each clause contributed its own first ``limit``.
    """
    model = KINDS[kind]
    base: QuerySet[Any] = model.objects.select_related("unit", "created_by")
    ascending = after is not None and before is None
    order = "pk" if ascending else "-pk"
    branches = request_branches_for_user(user=user, kind=kind)
    if branches is None:  # auditors: the primary key is the index
        everything = narrow(base)
        if before is not None:
            everything = everything.filter(pk__lt=before)
        if after is not None:
            everything = everything.filter(pk__gt=after)
        return everything.order_by(order)
    parts = []
    for branch in branches:
        part = narrow(model.objects.filter(branch))
        if before is not None:
            part = part.filter(pk__lt=before)
        if after is not None:
            part = part.filter(pk__gt=after)
        parts.append(part.order_by(order).values("pk")[:limit])
    union = _union_of_ids(parts, ascending, limit)
    if union is None:
        return base.none()
    return base.filter(pk__in=union).order_by(order)


def _union_of_ids(parts: list[QuerySet[Any]], ascending: bool, limit: int) -> RawSQL | None:
    """``SELECT id FROM (branch 1) UNION SELECT id FROM (branch 2) … ORDER BY id LIMIT n``.

    Each branch keeps its own ORDER BY and LIMIT inside a derived table (SQLite refuses them
    directly in a compound statement; PostgreSQL takes either form). No text from outside goes
    into the SQL: the parts are Django's own compiled queries, every value a parameter.
    """
    selects, params = [], []
    for number, part in enumerate(parts):
        quote = connections[part.db].ops.quote_name
        # Each part selects the id alone (under a name Django chooses): ``*`` is that column.
        try:
            sql, part_params = part.query.get_compiler(using=part.db).as_sql()
        except EmptyResultSet:  # a clause that can match nothing (``pk__in=[]``)
            continue
        selects.append(f"SELECT * FROM ({sql}) {quote(f'visible_{number}')}")  # noqa: S608
        params.extend(part_params)
    if not selects:
        return None
    direction = "ASC" if ascending else "DESC"
    union = " UNION ".join(selects)
    return RawSQL(f"{union} ORDER BY 1 {direction} LIMIT {int(limit)}", tuple(params))  # noqa: S611


class ListQuery(TypedDict, total=False):
    """What a request list page asks for, all optional: a status, a unit's code and a text to
    narrow it; at most ``limit`` rows below id ``before`` (or above ``after``)."""

    status: str | None
    unit_code: str | None
    q: str | None
    before: int | None
    after: int | None
    limit: int | None


def _visible_list(*, user: AnyUser, kind: str, **query: Unpack[ListQuery]) -> QuerySet[Any]:
    """The list of one kind that ``outbound_list_for_user`` and ``inbound_list_for_user``
    answer: with ``limit``, one page read as a merge of index range scans
    (:func:`_newest_visible`); without it, the whole visible set as one filter, newest first."""
    narrow = _list_filters(kind, query.get("status"), query.get("unit_code"), query.get("q"))
    limit = query.get("limit")
    if limit is not None:
        return _newest_visible(
            user=user,
            kind=kind,
            narrow=narrow,
            before=query.get("before"),
            after=query.get("after"),
            limit=limit,
        )
    return narrow(request_list_for_user(user=user, kind=kind)).order_by("-id")


def outbound_list_for_user(
    *, user: AnyUser, **query: Unpack[ListQuery]
) -> QuerySet[OutboundRequest]:
    """Outbound requests the user may open, newest first, with what list pages show.

    With ``limit``: one page of at most that many, below id ``before`` (or above ``after``,
    oldest first), read as a merge of index range scans (:func:`_newest_visible`). Without it:
    the whole visible set as one filter (exports, counts, sub-queries).
    """
    return _visible_list(user=user, kind=OUTBOUND, **query)


def outbound_get_for_user(*, user: AnyUser, pk: int) -> OutboundRequest:
    """One request, or 404 when it does not exist or the user may not see it."""
    return cast(OutboundRequest, request_get_for_user(user=user, kind=OUTBOUND, pk=pk))


def inbound_list_for_user(*, user: AnyUser, **query: Unpack[ListQuery]) -> QuerySet[InboundVisit]:
    """Inbound visits the user may open, newest first (``limit``: one page, as for outbound).

    The host unit's author, clerks and heads; the deciding authority (ward, department); the
    department office for ward decisions it was informed of; auditors. Others see nothing.
    """
    return _visible_list(user=user, kind=INBOUND, **query)


def inbound_get_for_user(*, user: AnyUser, pk: int) -> InboundVisit:
    """One visit, or 404 when it does not exist or the user may not see it."""
    return cast(InboundVisit, request_get_for_user(user=user, kind=INBOUND, pk=pk))


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
    qs = narrowed(qs, status=status, unit__code=unit_code)
    if q:
        qs = qs.filter(matching(q, ("title", "partner__name", "partner__name_en")))
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
