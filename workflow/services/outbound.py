"""What a person (or the calendar) does to an outbound request, each verb in one transaction:
the domain service of :mod:`delegations.services`, then the flow.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS

from config.errors import StateConflict
from delegations.models import OutboundRequest, RequestStatus
from delegations.services.common import may_act_for_trip, request_lock
from delegations.services.extensions import extension_check, extension_requested
from delegations.services.trips import (
    outbound_passport_returned,
    trip_cancel,
    trip_depart,
    trip_return,
)
from workflow.flows.extension import OutboundExtensionFlow
from workflow.flows.outbound import OutboundFlow
from workflow.services.engine import (
    request_flow_cancel,
    request_handle_complete,
)
from workflow.services.submission import report_submit, request_withdraw


@transaction.atomic
def outbound_cancel(*, actor: User, request: OutboundRequest, reason: str) -> None:
    """Cancel an approved trip before the return.

    Consequences: status "cancelled", the cancellation letter issued, the agencies notified
    (outbox rows, sent after commit), the audit event ``outbound.cancelled``, and every open
    task of the flow cancelled.
    """
    request = trip_cancel(actor=actor, request=request, reason=reason)
    request_flow_cancel(request)


@transaction.atomic
def outbound_confirm_departure(
    *,
    actor: User | None,
    request: OutboundRequest,
    date: datetime.date,
    today: datetime.date | None = None,
) -> None:
    """The delegation has left (confirmed by a traveller or clerk, or by the date itself).

    Consequences: status "travelling" with the actual departure date, the audit event
    ``outbound.departed``, and the flow's ``await_departure`` step completed.
    """
    request = trip_depart(actor=actor, request=request, date=date, today=today)
    request_handle_complete(request, OutboundFlow.await_departure.name)


@transaction.atomic
def outbound_confirm_return(
    *,
    actor: User | None,
    request: OutboundRequest,
    date: datetime.date,
    today: datetime.date | None = None,
) -> None:
    """The delegation is back.

    Consequences: a departure nobody confirmed is confirmed first, on the decision's date (see
    :func:`outbound_confirm_departure`); then status "returned home", the report due date, the
    official passports' due date, the audit event ``outbound.returned_home``, and the flow's
    ``await_return`` step completed (the applicant's report task opens).
    """
    locked = request_lock(request)
    may_act_for_trip(actor, locked)
    if locked.status == RequestStatus.APPROVED:
        outbound_confirm_departure(
            actor=actor, request=locked, date=locked.departure_date, today=today
        )
    request = trip_return(actor=actor, request=locked, date=date, today=today)
    request_handle_complete(request, OutboundFlow.await_return.name)


@transaction.atomic
def outbound_request_extension(
    *,
    actor: User,
    request: OutboundRequest,
    new_return_date: datetime.date,
    reason: str,
) -> Process:
    """Ask the deciding authority for a later return date.

    Consequences: the checks (an approved trip not yet back, a later date, no other extension
    pending), a new :class:`OutboundExtensionFlow` process routed to that authority, and the
    audit event ``outbound.extension_requested``.
    """
    request, reason = extension_check(
        actor=actor, request=request, new_return_date=new_return_date, reason=reason
    )
    pending = Process.objects.filter(
        flow_class=OutboundExtensionFlow,
        artifact_content_type=ContentType.objects.get_for_model(request),
        artifact_object_id=request.pk,
        status=PROCESS.NEW,
    )
    if pending.exists():
        raise StateConflict(_("Đã có một đề nghị gia hạn đang chờ quyết định."))
    process: Process = OutboundExtensionFlow.start.run(
        request=request, new_return_date=new_return_date.isoformat(), reason=reason
    )
    extension_requested(
        actor=actor, request=request, new_return_date=new_return_date, reason=reason
    )
    return process


def outbound_advance_by_dates(*, today: datetime.date | None = None) -> int:
    """Move approved trips on by their decision dates when nobody confirmed; returns moves.

    Each move is its own transaction (:func:`outbound_confirm_departure`,
    :func:`outbound_confirm_return`), with the system as the actor.
    """
    today = today or timezone.localdate()
    moved = 0
    for request in OutboundRequest.objects.filter(
        status=RequestStatus.APPROVED, departure_date__lte=today
    ).order_by("pk"):
        outbound_confirm_departure(
            actor=None, request=request, date=request.departure_date, today=today
        )
        moved += 1
    for request in OutboundRequest.objects.filter(
        status=RequestStatus.TRAVELLING, return_date__lt=today
    ).order_by("pk"):
        outbound_confirm_return(actor=None, request=request, date=request.return_date, today=today)
        moved += 1
    return moved


#: One of the trip's verbs as the request page and the API call it: who acts, the request and
#: the validated input of the action's form or serializer (the same field names in both).
TripVerb = Callable[[Any, OutboundRequest, dict[str, Any]], Any]

#: The trip's actions after submission, by the key the page and the API name them.
OUTBOUND_VERBS: dict[str, TripVerb] = {
    "withdraw": lambda u, r, d: request_withdraw(actor=u, request=r, reason=d["reason"]),
    "cancel": lambda u, r, d: outbound_cancel(actor=u, request=r, reason=d["reason"]),
    "departure": lambda u, r, d: outbound_confirm_departure(actor=u, request=r, date=d["date"]),
    "return": lambda u, r, d: outbound_confirm_return(actor=u, request=r, date=d["date"]),
    "extension": lambda u, r, d: outbound_request_extension(
        actor=u, request=r, new_return_date=d["new_return_date"], reason=d["reason"]
    ),
    "report": lambda u, r, d: report_submit(actor=u, request=r, text=d["text"]),
    "passport": lambda u, r, d: outbound_passport_returned(
        actor=u, request=r, person_id=d["person"], date=d["date"]
    ),
}
