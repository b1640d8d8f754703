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
from django.utils.translation import gettext as _

from delegations.models import InboundStatus, InboundVisit
from delegations.services.submission import request_withdraw, submission_record
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
from workflow.rules.engine import Evaluation
from workflow.services.engine import (
    request_flow_cancel,
    request_handle_complete,
    request_task_complete,
)
from workflow.services.submission import submission_advance


@transaction.atomic
def inbound_submit(
    *,
    actor: User,
    visit: InboundVisit,
    justifications: dict[str, str] | None = None,
    on: datetime.date | None = None,
) -> Evaluation:
    """Submit a draft visit, or resubmit a returned one to the step that returned it.

    Consequences: the IN-* rules are evaluated (a failed block, e.g. exam days, study-abroad
    marketing, visitor data, freeze, conference lead time, stops it with :class:`RulesBlocked`,
    HTTP 422; IN-NOTIFY-LEAD needs a justification), the visit is numbered (first time), its
    status and route set, the outcome stamped and the event audited; then the flow starts (first
    time) or the host's ``resubmit_by_applicant`` step is completed.
    """
    submission = submission_record(actor=actor, request=visit, justifications=justifications, on=on)
    submission_advance(submission, actor=actor)
    return submission.evaluation


@transaction.atomic
def inbound_withdraw(*, actor: User, visit: InboundVisit, reason: str) -> None:
    """The host withdraws a visit before any decision.

    Consequences: status "withdrawn", the audit event ``inbound.withdrawn`` with the reason,
    and every open task of the flow cancelled.
    """
    visit = request_withdraw(actor=actor, request=visit, reason=reason)
    request_flow_cancel(visit)


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


def inbound_submit_report(*, actor: User, visit: InboundVisit, text: str) -> None:
    """Hand in the post-visit report: completes the host's ``submit_report`` task.

    Consequences (in :func:`delegations.services.decisions.apply_decision`): the report text and
    time on the visit, a ``Decision`` row and the audit event; the report goes to review.
    """
    request_task_complete(
        request=visit,
        node_name=InboundFlow.submit_report.name,
        user=actor,
        fields={"text": text},
        missing=_("Hồ sơ chưa đến bước nộp báo cáo hoặc báo cáo đang được xem xét."),
    )


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
    "report": lambda u, v, d: inbound_submit_report(actor=u, visit=v, text=d["text"]),
    "withdraw": lambda u, v, d: inbound_withdraw(actor=u, visit=v, reason=d["reason"]),
    "cancel": lambda u, v, d: inbound_cancel(actor=u, visit=v, reason=d["reason"]),
}
