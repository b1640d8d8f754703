"""The two kinds of request (đoàn ra, đoàn vào) and who may open one.

The kind strings are stored in every ``RequestRef`` table, ``Attachment``, ``InboxEntry`` and
the audit log's ``object_type``: they never change. Every "may this user open this request"
question is answered here, whatever the kind, so the pages, the API, the documents and the
task pages cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from approvals.permissions import (
    REVIEW_FOR_DEPARTMENT,
    request_visibility,
    request_visibility_branches,
    unit_grants,
    units_in_scope,
)
from delegations.models import (
    Agreement,
    InboundStatus,
    InboundVisit,
    OutboundMember,
    OutboundRequest,
    Route,
)

AnyUser = User | AnonymousUser
AnyRequest = OutboundRequest | InboundVisit

OUTBOUND = "outbound"
INBOUND = "inbound"
#: An MOU proposal's flow has the MOU as its artifact (tasks, inbox, audit log).
AGREEMENT = "agreement"
#: A unit's report in a reporting round (its flow's artifact).
UNIT_REPORT = "unit_report"

#: The model of each kind of request.
KINDS: dict[str, type[OutboundRequest] | type[InboundVisit]] = {
    OUTBOUND: OutboundRequest,
    INBOUND: InboundVisit,
}

#: Ward-route visits the department office has been informed of (the ward chair approved).
INFORMED_STATUSES = (
    InboundStatus.APPROVED,
    InboundStatus.VISITING,
    InboundStatus.VISIT_ENDED,
    InboundStatus.CLOSED,
    InboundStatus.CANCELLED,
)


def _travellers(user: User) -> Q:
    """Travellers see the trips they are members of."""
    is_member = OutboundMember.objects.filter(request=OuterRef("pk"), person__user=user)
    return Q(Exists(is_member))


def _travellers_branch(user: User) -> Q:
    """:func:`_travellers` read from the member rows (their person index), for lists."""
    return Q(pk__in=OutboundMember.objects.filter(person__user=user).values("request_id"))


def _informed_department(user: User) -> Q:
    """The department office sees the ward decisions it was informed of."""
    if unit_grants(user, [REVIEW_FOR_DEPARTMENT]).get(REVIEW_FOR_DEPARTMENT):
        return Q(route=Route.WARD, status__in=INFORMED_STATUSES)
    return Q(pk__in=[])


def _informed_department_branches(user: User) -> list[Q]:
    if unit_grants(user, [REVIEW_FOR_DEPARTMENT]).get(REVIEW_FOR_DEPARTMENT):
        return [_informed_department(user)]
    return []


#: What each kind adds to :func:`approvals.permissions.request_visibility`.
_ALSO_VISIBLE: dict[str, Callable[[User], Q]] = {
    OUTBOUND: _travellers,
    INBOUND: _informed_department,
}

#: The same, as list branches (:func:`request_branches_for_user`).
_ALSO_VISIBLE_BRANCHES: dict[str, Callable[[User], list[Q]]] = {
    OUTBOUND: lambda user: [_travellers_branch(user)],
    INBOUND: _informed_department_branches,
}


def request_list_for_user(*, user: AnyUser, kind: str) -> QuerySet[Any]:
    """Requests of ``kind`` the user may open (unordered, with unit and author).

    Raises :class:`Http404` for an unknown kind, as for a request the user may not see.
    """
    model = KINDS.get(kind)
    if model is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    qs: QuerySet[Any] = model.objects.select_related("unit", "created_by")
    if not user.is_authenticated:
        return qs.none()
    clause = request_visibility(user)
    if clause is None:
        return qs
    return qs.filter(clause | _ALSO_VISIBLE[kind](user))


def request_branches_for_user(*, user: AnyUser, kind: str) -> list[Q] | None:
    """What :func:`request_list_for_user` filters on, as clauses whose OR it is.

    Each clause is answered by one index (author, unit, route, a person's memberships), so a
    list may read each newest first with a limit and merge them
    (:func:`delegations.selectors.outbound_list_for_user`). ``None``: every request.
    """
    if kind not in KINDS:
        raise Http404(_("Không tìm thấy hồ sơ."))
    if not user.is_authenticated:
        return [Q(pk__in=[])]
    branches = request_visibility_branches(user)
    if branches is None:
        return None
    return branches + _ALSO_VISIBLE_BRANCHES[kind](user)


def request_get_for_user(*, user: AnyUser, kind: str, pk: int) -> AnyRequest:
    """One request of ``kind``, or :class:`Http404` when it does not exist or is not visible.

    With its unit's managing authority and parent: whoever decides for the unit, which the rule
    facts and the preview's approvers need (:mod:`delegations.dossier_reads`).
    """
    request: AnyRequest | None = (
        request_list_for_user(user=user, kind=kind)
        .select_related("unit__managing_authority", "unit__parent")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return request


def _kind_of(model: type[Model]) -> str | None:
    return next((k for k, m in KINDS.items() if m is model), None)


def artifact_ids_for_user(user: AnyUser, model: type[Model], pks: Collection[int]) -> set[int]:
    """Those of ``pks`` (artifacts of ``model``) the user may open: one query for outbound
    requests or inbound visits whatever their number, one per object for the other kinds."""
    kind = _kind_of(model)
    if kind is not None:
        visible = request_list_for_user(user=user, kind=kind).filter(pk__in=list(pks))
        return set(visible.values_list("pk", flat=True))
    return {pk for pk in pks if artifact_for_user(user, model, pk) is not None}


def artifact_for_user(user: AnyUser, model: type[Model] | None, pk: int | None) -> Model | None:
    """The request of any kind (``model``, ``pk``: a process's artifact) if the user may open
    it, else ``None``; one query for outbound requests and inbound visits, with their unit and
    author (the task page shows both)."""
    if model is None or pk is None:
        return None
    kind = _kind_of(model)
    if kind is not None:
        found: Model | None = request_list_for_user(user=user, kind=kind).filter(pk=pk).first()
        return found
    obj = model._default_manager.filter(pk=pk).first()
    return obj if request_visible_to(user, obj) else None


def request_visible_to(user: AnyUser, request: Model | None) -> bool:
    """Whether the user may open this request (of either kind; any other object: no)."""
    kind = getattr(request, "request_kind", None)
    if request is not None and kind == AGREEMENT:
        scope = units_in_scope(user)
        return Agreement.objects.filter(pk=request.pk, unit__in=scope).exists()
    if request is not None and kind == UNIT_REPORT:
        # The unit's own people and whoever manages it (the department reaches every unit).
        unit_id = int(getattr(request, "unit_id", 0) or 0)
        return units_in_scope(user).filter(pk=unit_id).exists()
    if request is None or kind not in KINDS:
        return False
    return request_list_for_user(user=user, kind=kind).filter(pk=request.pk).exists()
