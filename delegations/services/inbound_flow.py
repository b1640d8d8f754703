"""Inbound visits from submission to approval.

Submission evaluates the IN-* rules and starts :class:`workflow.flows.inbound.InboundFlow` through
the same code as outbound requests (:func:`delegations.services.outbound_flow.submit_locked`);
decisions on the human steps land in the shared ``apply_decision``. What is the visit's own: the
agencies' notifications fall due ``notify_days`` working days before the arrival, and on the
ward route the department office is informed of the ward's decision.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from approvals.models import NoticeReason
from delegations.facts import evaluate
from delegations.models import InboundStatus, InboundVisit
from delegations.services.outbound import ensure_can_edit
from delegations.services.outbound_flow import _locked, submit_locked
from delegations.services.outbound_trip import _notify_agencies, timing_params
from org.calendar import add_working_days, current_calendar
from workflow.rules.engine import Evaluation


def inbound_preview(*, visit: InboundVisit, on: datetime.date | None = None) -> Evaluation:
    """The rule pack's answer now, without changing anything."""
    return evaluate(visit, on=on)


@transaction.atomic
def inbound_submit(
    *,
    actor: User,
    visit: InboundVisit,
    justifications: dict[str, str] | None = None,
    on: datetime.date | None = None,
) -> Evaluation:
    """Submit a draft visit, or resubmit a returned one to the step that returned it.

    A failed IN-* block (exam days, study-abroad marketing, visitor data, freeze, conference lead
    time) stops it with :class:`RulesBlocked` (HTTP 422); IN-NOTIFY-LEAD needs a justification.
    """
    visit = _locked(visit)
    ensure_can_edit(actor=actor, request=visit)
    return submit_locked(actor=actor, request=visit, justifications=justifications, on=on)


def notification_due(arrival: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """``notify_days`` working days before the arrival, and never before today."""
    today = today or timezone.localdate()
    due = add_working_days(arrival, -timing_params(today)["notify_days"], current_calendar())
    return max(due, today)


def inbound_mark_approved(*, visit: InboundVisit) -> None:
    """The flow reached approval: record it and queue the police's and Foreign Affairs' notices."""
    visit = _locked(visit)
    before = visit.status
    visit.status = InboundStatus.APPROVED
    visit.decided_at = timezone.now()
    visit.version += 1
    visit.save()
    # The approval letter to the host and the agencies' letter; files render after commit.
    from approvals.documents.services import documents_issue_on_approval

    documents_issue_on_approval(request=visit)
    due = notification_due(visit.arrival_date)
    sent = _notify_agencies(visit, NoticeReason.APPROVAL, due=due)
    audit_record(
        actor=None, action="inbound.approved", obj=visit,
        before={"status": before},
        after={"status": visit.status, "notifications": sent, "notifications_due": due},
    )  # fmt: skip


def inbound_inform_department(*, visit: InboundVisit) -> None:
    """Ward route: the department office is informed of the ward chair's approval.

    Recorded as an audit event on the visit (no decision, no task); from then on the department's
    reviewers may open the visit (see :func:`delegations.selectors.inbound_list_for_user`).
    """
    from workflow.flows.common import department_of

    department = department_of(visit.unit)
    audit_record(
        actor=None, action="inbound.department_informed", obj=visit,
        after={"department": department.code, "route": visit.route},
        comment=_("Văn phòng Sở được thông báo về quyết định đồng ý của UBND phường."),
    )  # fmt: skip
