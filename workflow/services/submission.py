"""The process verbs that are the same for both kinds of request (a trip, a visit): submit,
withdraw, hand in the report. Each calls its domain half in :mod:`delegations.services`, then
moves the request's main flow (:func:`workflow.flows.registry.main_flow_for`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from delegations.services.submission import Submission, submission_record, withdrawal_record
from workflow.flows.registry import main_flow_for
from workflow.rules.engine import Evaluation
from workflow.services.engine import flow_start, request_flow_cancel, request_task_complete


@transaction.atomic
def request_submit(
    *,
    actor: User,
    request: Any,
    justifications: dict[str, str] | None = None,
    on: datetime.date | None = None,
) -> Evaluation:
    """Submit a draft trip or visit, or resubmit a returned one to the step that returned it.

    Consequences: the rule pack is evaluated (OUT-* for a trip, IN-* for a visit; a failed block
    stops it with :class:`RulesBlocked`, HTTP 422; every "justify" check needs a justification,
    now or on file), the justifications are kept, the request is numbered (first time), its
    status and route set, the outcome stamped and the event audited; then the flow starts (first
    time) or the applicant's ``resubmit_by_applicant`` step is completed.
    """
    submission = submission_record(
        actor=actor, request=request, justifications=justifications, on=on
    )
    _advance(submission, actor=actor)
    return submission.evaluation


def _advance(submission: Submission, *, actor: User) -> None:
    """A first submission starts the request's flow; a resubmission completes the applicant's
    ``resubmit_by_applicant`` step, which sends the dossier back to the step that returned it."""
    flow_class = main_flow_for(submission.request)
    if submission.first:
        flow_start(flow_class, submission.request)
        return
    request_task_complete(
        request=submission.request,
        node_name=flow_class.resubmit_by_applicant.name,
        user=actor,
        missing=_("Không tìm thấy bước trình lại của hồ sơ."),
        as_owner=True,
    )


@transaction.atomic
def request_withdraw(*, actor: User, request: Any, reason: str) -> None:
    """The applicant (or the visit's host) withdraws a request before any decision.

    Consequences: status "withdrawn", the audit event ``outbound.withdrawn`` or
    ``inbound.withdrawn`` with the reason, and every open task of the flow cancelled.
    """
    request_flow_cancel(withdrawal_record(actor=actor, request=request, reason=reason))


def report_submit(*, actor: User, request: Any, text: str) -> None:
    """Hand in the post-trip or post-visit report: completes the applicant's ``submit_report``
    task.

    Consequences (in :func:`delegations.services.decisions.apply_decision`): the report text and
    time on the request, a ``Decision`` row and the audit event; the report goes to review.
    """
    request_task_complete(
        request=request,
        node_name=main_flow_for(request).submit_report.name,
        user=actor,
        fields={"text": text},
        missing=_("Hồ sơ chưa đến bước nộp báo cáo hoặc báo cáo đang được xem xét."),
    )
