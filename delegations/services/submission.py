"""Submitting a dossier (both kinds) and withdrawing it before any decision: the domain half.

The rule pack is evaluated, blocking checks stop the submission, justifications are kept, the
request is numbered on its first submission, its status and route are set, the outcome is
stamped and the event audited. Starting or resuming the flow is the caller's part
(:func:`workflow.services.request_submit`, :func:`workflow.services.request_withdraw`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from approvals.models import Justification
from config.errors import RulesBlocked, StateConflict, ValidationError
from delegations.facts import evaluate, steps_without_holder
from delegations.kinds import OUTBOUND
from delegations.models import OutboundRequest, ReferenceCounter, RequestStatus
from delegations.models.common import UNDECIDED_STATUSES
from delegations.models.dates import ensure_submittable_dates
from delegations.services.common import (
    ensure_can_edit,
    may_act_for_trip,
    request_lock,
    request_ref,
    require_reason,
    rule_stamp,
)
from delegations.services.decisions import approvals_lapse
from delegations.services.members import ensure_members_confirmed
from org.models import Role
from workflow.rules.engine import Evaluation
from workflow.rules.pack import rule_title


@dataclass(frozen=True)
class Submission:
    """A recorded submission: the locked request, the rule pack's answer, first or again."""

    request: Any
    evaluation: Evaluation
    first: bool


def _ensure_travellers(request: OutboundRequest) -> None:
    """An outbound dossier needs at least one traveller, and every named person's consent."""
    if not request.members.exists():
        raise ValidationError({"members": [_("Đoàn phải có ít nhất một thành viên.")]})
    ensure_members_confirmed(request)


#: What a kind checks of its own before the shared checks of a submission.
_KIND_CHECKS: dict[str, Callable[[Any], None]] = {OUTBOUND: _ensure_travellers}


def _justifications_on_file(request: Any) -> dict[str, str]:
    return {
        j.rule: j.text
        for j in Justification.objects.filter(**request_ref(request)).order_by("created_at")
    }


def submission_record(
    *,
    actor: User,
    request: Any,
    justifications: dict[str, str] | None = None,
    on: datetime.date | None = None,
) -> Submission:
    """A dossier of either kind is submitted (or resubmitted): lock it, check that the actor may
    edit it and the kind's own conditions (an outbound dossier's travellers), then evaluate,
    number, stamp and audit the submission.

    Blocking checks stop it (:class:`RulesBlocked`, HTTP 422); every failed "justify" check
    needs a written justification, given now or on an earlier submission of the same request.
    """
    request = request_lock(request)
    ensure_can_edit(actor=actor, request=request)
    kind = request.request_kind
    if kind in _KIND_CHECKS:
        _KIND_CHECKS[kind](request)
    ensure_submittable_dates(request, on)
    evaluation = evaluate(request, on=on or timezone.localdate())
    if evaluation.blocking:
        raise RulesBlocked(
            _("Hồ sơ vi phạm quy định nên chưa thể trình."),
            [c.as_dict() for c in evaluation.blocking],
        )
    given = {k: v.strip() for k, v in (justifications or {}).items() if v and v.strip()}
    on_file = _justifications_on_file(request)
    missing = evaluation.missing_justifications({**on_file, **given})
    if missing:
        raise RulesBlocked(
            _("Cần giải trình trước khi trình: %(rules)s.")
            % {"rules": "; ".join(rule_title(rule) for rule in missing)},
            [c.as_dict() for c in evaluation.needing_justification if c.rule in missing],
        )
    day = evaluation.on
    # On by default and in the whole test suite: every step of the route needs a holder.
    check_holders = getattr(settings, "REQUIRE_STEP_HOLDERS", True)
    unheld = steps_without_holder(request, evaluation.steps, day) if check_holders else []
    if unheld:
        raise ValidationError(
            {
                "route": [
                    _(
                        "Chưa thể trình: bước “%(step)s” chưa có người giữ vai trò "
                        "“%(role)s” (không phải người đề nghị hay thành viên đoàn) vào ngày "
                        "%(day)s. Đề nghị quản trị hệ thống phân công vai trò này trước."
                    )
                    % {
                        "step": step.title_vi,
                        "role": Role(step.role).label,
                        "day": day.strftime("%d/%m/%Y"),
                    }
                    for step in unheld
                ]
            }
        )
    first = request.status == RequestStatus.DRAFT
    if not first:
        approvals_lapse(actor=actor, request=request)
    before = {"status": request.status, "route": request.route}
    stamp = rule_stamp(request, evaluation, "submit" if first else "resubmit")
    needed = {c.rule for c in evaluation.needing_justification}
    Justification.objects.bulk_create(
        [
            Justification(**request_ref(request), rule=rule, text=text, author=actor, stamp=stamp)
            for rule, text in given.items()
            if rule in needed and on_file.get(rule) != text
        ]
    )
    if first:
        request.reference = ReferenceCounter.next_reference(unit=request.unit, kind=kind)
        request.submitted_at = timezone.now()
    request.route = str(evaluation.route)
    request.status = RequestStatus.SUBMITTED
    request.version += 1
    request.save()
    audit_record(
        actor=actor,
        action=f"{kind}.submitted" if first else f"{kind}.resubmitted",
        obj=request,
        before=before,
        after={"status": request.status, "route": request.route, "reference": request.reference},
    )
    return Submission(request=request, evaluation=evaluation, first=first)


def withdrawal_record(*, actor: User, request: Any, reason: str) -> Any:
    """The applicant withdraws a request or visit before any decision (status and audit).

    Returns the locked request; cancelling its open tasks is the caller's part.
    """
    reason = require_reason(reason)
    request = request_lock(request)
    may_act_for_trip(actor, request)
    if request.status not in UNDECIDED_STATUSES:
        raise StateConflict(_("Chỉ rút được hồ sơ đang xét duyệt, chưa có quyết định."))
    before = request.status
    request.status = RequestStatus.WITHDRAWN
    request.version += 1
    request.save()
    audit_record(
        actor=actor,
        action=f"{request.request_kind}.withdrawn",
        obj=request,
        before={"status": before},
        after={"status": request.status},
        comment=reason,
    )
    return request
