"""What a person (or the calendar) does to an inbound visit, each verb in one transaction:
the domain service of :mod:`delegations.services`, then the flow.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from delegations.models import InboundStatus, InboundVisit
from delegations.services.visits import (
    inbound_amend,
    visit_cancel,
    visit_check_start,
    visit_confirm_residence,
    visit_end,
    visit_residence_missed,
    visit_start,
)
from workflow.flows.inbound import InboundFlow
from workflow.services.engine import (
    request_flow_cancel,
    request_handle_complete,
)
from workflow.services.submission import report_submit, request_withdraw


@transaction.atomic
def inbound_cancel(*, actor: User, visit: InboundVisit, reason: str) -> None:
    """Cancel an approved visit before it ends.

    Consequences: status "cancelled", the police and Foreign Affairs notified (outbox rows,
    sent after commit), the audit event ``inbound.cancelled``, and every open task cancelled.
    """
    visit = visit_cancel(actor=actor, visit=visit, reason=reason)
    request_flow_cancel(visit)


@transaction.atomic
def inbound_confirm_residence(*, actor: User, visit: InboundVisit, note: str = "") -> None:
    """The host confirms that the hotel (or the host itself) declared the guests' residence.

    Consequences: the declaration time on the visit, the audit event
    ``inbound.residence_declared`` (late when the visit had started), and the flow's
    ``await_residence_declaration`` step completed if still open.
    """
    visit = visit_confirm_residence(actor=actor, visit=visit, note=note)
    request_handle_complete(visit, InboundFlow.await_residence_declaration.name)


@transaction.atomic
def inbound_start_visit(*, visit: InboundVisit) -> None:
    """The arrival date has come: the visit is under way (the system acts, nobody confirms).

    Consequences: a residence declaration still unconfirmed completes its step and stays on the
    record as missed (``inbound.residence_not_declared``); then status "visiting", the audit event
    ``inbound.visit_started`` and the flow's ``await_arrival`` step completed.
    """
    visit = visit_check_start(visit=visit)
    if visit.residence_declared_at is None and request_handle_complete(
        visit, InboundFlow.await_residence_declaration.name
    ):
        visit_residence_missed(visit=visit)
    visit = visit_start(visit=visit)
    request_handle_complete(visit, InboundFlow.await_arrival.name)


@transaction.atomic
def inbound_end_visit(*, visit: InboundVisit) -> None:
    """The departure date has passed: the visit is over.

    Consequences: status "visit ended", the report due date, the audit event
    ``inbound.visit_ended``, and the flow's ``await_departure`` step completed (the host's
    report task opens).
    """
    visit = visit_end(visit=visit)
    request_handle_complete(visit, InboundFlow.await_departure.name)


def inbound_advance_by_dates(*, today: datetime.date | None = None) -> int:
    """Start visits whose arrival date has come and end those whose departure has passed.

    Each move is its own transaction (:func:`inbound_start_visit`, :func:`inbound_end_visit`).
    """
    today = today or timezone.localdate()
    moved = 0
    for visit in InboundVisit.objects.filter(
        status=InboundStatus.APPROVED, arrival_date__lte=today
    ).order_by("pk"):
        inbound_start_visit(visit=visit)
        moved += 1
    for visit in InboundVisit.objects.filter(
        status=InboundStatus.VISITING, departure_date__lt=today
    ).order_by("pk"):
        inbound_end_visit(visit=visit)
        moved += 1
    return moved


#: One of the visit's verbs as the visit page and the API call it: who acts, the visit and the
#: validated input of the action's form or serializer (the same field names in both).
VisitVerb = Callable[[Any, InboundVisit, dict[str, Any]], Any]

#: The visit's actions after submission, by the key the page names them. ``amendment`` takes
#: the new roster already read (``visitors``: a sheet on the page, JSON rows in the API).
INBOUND_VERBS: dict[str, VisitVerb] = {
    "residence": lambda u, v, d: inbound_confirm_residence(
        actor=u, visit=v, note=d.get("note", "")
    ),
    "amendment": lambda u, v, d: inbound_amend(
        actor=u,
        visit=v,
        reason=d["reason"],
        visitors=d.get("visitors"),
        arrival_date=d.get("arrival_date"),
        departure_date=d.get("departure_date"),
    ),
    "report": lambda u, v, d: report_submit(actor=u, request=v, text=d["text"]),
    "withdraw": lambda u, v, d: request_withdraw(actor=u, request=v, reason=d["reason"]),
    "cancel": lambda u, v, d: inbound_cancel(actor=u, visit=v, reason=d["reason"]),
}
