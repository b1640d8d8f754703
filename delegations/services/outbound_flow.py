"""Outbound requests from submission to the closed record.

Submission evaluates the rule pack, numbers the request, stamps the outcome and starts the flow;
decisions on the flow's human steps land in :func:`outbound_apply_decision`; the trip's life
(departure, return, report, passports, withdrawal, cancellation) has one service each.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from approvals.models import Decision, Justification, NoticeReason, RuleStamp
from approvals.notifications import active_agencies, agency_notifications_queue
from delegations.facts import evaluate
from delegations.models import OutboundRequest, ReferenceCounter, RequestStatus
from delegations.models.common import UNDECIDED_STATUSES, DelegationRequest
from delegations.services.errors import (
    PermissionDenied,
    RulesBlocked,
    StateConflict,
    ValidationError,
)
from delegations.services.outbound import ensure_can_edit
from org.calendar import add_working_days, current_calendar
from org.models import Role, Unit
from workflow.rules.engine import Evaluation
from workflow.rules.params import as_param_set

KIND = "outbound"
R = TypeVar("R", bound=DelegationRequest)


def _ref(request: Any) -> dict[str, Any]:
    """The (kind, id) pair that ties decisions, stamps and notifications to any request."""
    return {"request_kind": request.request_kind, "request_id": request.pk}


def _stamp(request: Any, evaluation: Evaluation, stage: str) -> RuleStamp:
    from workflow.models import RuleSetVersion

    version = (
        RuleSetVersion.objects.filter(pk=evaluation.ruleset_version).first()
        if evaluation.ruleset_version
        else None
    )
    return RuleStamp.objects.create(
        **_ref(request),
        stage=stage,
        ruleset_version=evaluation.ruleset_version,
        ruleset_effective_from=version.effective_from if version else None,
        evaluated_on=evaluation.on,
        route=str(evaluation.route),
        checks=evaluation.to_json(),
    )


def outbound_preview(*, request: OutboundRequest, on: datetime.date | None = None) -> Evaluation:
    """The rule pack's answer now, without changing anything."""
    return evaluate(request, on=on)


def _locked(request: R) -> R:
    """The request (outbound or inbound) re-read under a row lock."""
    manager = type(request)._default_manager
    return manager.select_for_update().select_related("unit").get(pk=request.pk)


def _justifications_on_file(request: Any) -> dict[str, str]:
    return {
        j.rule: j.text for j in Justification.objects.filter(**_ref(request)).order_by("created_at")
    }


@transaction.atomic
def outbound_submit(
    *,
    actor: User,
    request: OutboundRequest,
    justifications: dict[str, str] | None = None,
    on: datetime.date | None = None,
) -> Evaluation:
    """Submit a draft, or resubmit a returned dossier to the step that returned it.

    Blocking checks stop it (:class:`RulesBlocked`, HTTP 422); every failed "justify" check needs
    a written justification, given now or on an earlier submission of the same request.
    """
    request = _locked(request)
    ensure_can_edit(actor=actor, request=request)
    if not request.members.exists():
        raise ValidationError({"members": [_("Đoàn phải có ít nhất một thành viên.")]})
    return submit_locked(actor=actor, request=request, justifications=justifications, on=on)


def submit_locked(
    *,
    actor: User,
    request: Any,
    justifications: dict[str, str] | None = None,
    on: datetime.date | None = None,
) -> Evaluation:
    """Evaluate, number, stamp and start (or resume) the flow of a locked, editable request.

    Shared by outbound requests and inbound visits: the kind and the flow come from the request.
    """
    from workflow.flows.registry import main_flow_for
    from workflow.services import process_for, task_complete

    kind = request.request_kind
    flow_class = main_flow_for(request)
    day = on or timezone.localdate()
    evaluation = evaluate(request, on=day)
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
            _("Cần giải trình trước khi trình: %(rules)s.") % {"rules": ", ".join(missing)},
            [c.as_dict() for c in evaluation.needing_justification if c.rule in missing],
        )
    first = request.status == RequestStatus.DRAFT
    before = {"status": request.status, "route": request.route}
    stamp = _stamp(request, evaluation, "submit" if first else "resubmit")
    needed = {c.rule for c in evaluation.needing_justification}
    Justification.objects.bulk_create(
        [
            Justification(**_ref(request), rule=rule, text=text, author=actor, stamp=stamp)
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
    if first:
        flow_class.start.run(request=request)
    else:
        process = process_for(request)
        task = (
            process.task_set.filter(flow_task=flow_class.resubmit_by_applicant)
            .filter(status__in=["NEW", "ASSIGNED"])
            .first()
            if process
            else None
        )
        if task is None:
            raise StateConflict(_("Không tìm thấy bước trình lại của hồ sơ."))
        task_complete(task_id=task.pk, user=task.owner or actor, action="submit")
    return evaluation


def _require_comment(action: str, comment: str) -> None:
    if action in ("return", "reject") and not comment:
        raise ValidationError({"comment": [_("Vui lòng ghi rõ lý do.")]})


def apply_decision(
    *,
    request: Any,
    step: Any,
    task: Any,
    actor: Any,
    action: str,
    comment: str,
    fields: dict[str, Any],
) -> None:
    """The domain effect of a human step, inside the flow's lock (called by task_complete).

    The same for outbound requests and inbound visits: the steps share their names.
    """
    request = _locked(request)
    name = step.name
    data: dict[str, Any] = {}
    if name == "resubmit_by_applicant":
        pass  # the submit service already re-evaluated and stamped
    elif name == "submit_report":
        text = (fields.get("text") or comment or "").strip()
        if not text:
            raise ValidationError({"text": [_("Vui lòng nhập nội dung báo cáo.")]})
        request.report_text = text
        request.report_submitted_at = timezone.now()
    elif name == "review_report":
        _require_comment(action, comment)
        if action == "accept":
            request.report_accepted_at = timezone.now()
            request.status = RequestStatus.CLOSED
        else:
            request.report_submitted_at = None
    else:
        _require_comment(action, comment)
        if name == "review_by_department" and action == "return":
            items = [str(i).strip() for i in fields.get("missing_items") or [] if str(i).strip()]
            if not items:
                raise ValidationError({"missing_items": [_("Liệt kê các nội dung cần bổ sung.")]})
            data["missing_items"] = items
        if step.records_city_decision:
            data.update(_city_decision(fields))
            request.decision_number = data["decision_number"]
            request.decision_date = datetime.date.fromisoformat(data["decision_date"])
        evaluation = evaluate(request)
        _stamp(request, evaluation, name)
        if action == "return":
            request.status = RequestStatus.RETURNED
        elif action == "reject":
            request.status = RequestStatus.REJECTED
            request.decided_at = timezone.now()
    before_status = (
        type(request)._default_manager.values_list("status", flat=True).get(pk=request.pk)
    )
    request.version += 1
    request.save()
    Decision.objects.create(
        **_ref(request),
        step=name,
        action=action,
        actor=actor.user,
        acting_for=actor.acting_for,
        comment=comment,
        data=data,
        task_id=task.pk,
    )
    audit_record(
        actor=actor.user,
        action=f"{request.request_kind}.{name}.{action}",
        obj=request,
        before={"status": before_status},
        after={"status": request.status, **data},
        comment=comment,
        acting_for=actor.acting_for.get_username() if actor.acting_for else "",
    )


outbound_apply_decision = apply_decision


def _city_decision(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    number = str(fields.get("decision_number") or "").strip()
    raw_date = fields.get("decision_date")
    if not number:
        errors["decision_number"] = [_("Nhập số văn bản của UBND Thành phố.")]
    try:
        day = (
            raw_date
            if isinstance(raw_date, datetime.date)
            else datetime.date.fromisoformat(str(raw_date))
        )
    except ValueError:
        errors["decision_date"] = [_("Ngày văn bản không hợp lệ (YYYY-MM-DD).")]
        day = None
    if errors:
        raise ValidationError(errors)
    assert day is not None
    return {"decision_number": number, "decision_date": day.isoformat()}


def agencies() -> list[Unit]:
    """The agencies every approved trip or visit is notified to (Công an TP, Sở Ngoại vụ)."""
    return active_agencies()


def outbound_mark_approved(*, request: Any) -> None:
    """The flow reached approval: record it and queue the agencies' notifications."""
    request = _locked(request)
    request.status = RequestStatus.APPROVED
    request.decided_at = timezone.now()
    request.version += 1
    request.save()
    # The decision and the agencies' letter take their numbers here; files render after commit.
    from approvals.documents.services import documents_issue_on_approval

    documents_issue_on_approval(request=request)
    calendar = current_calendar()
    due = add_working_days(timezone.localdate(), 1, calendar)
    # Each notification is written with its e-mail (outbox row) in this transaction.
    sent = agency_notifications_queue(request, NoticeReason.APPROVAL, due=due)
    audit_record(
        actor=None,
        action="outbound.approved",
        obj=request,
        before={"status": RequestStatus.SUBMITTED},
        after={"status": request.status, "notifications": len(sent)},
    )


__all__ = [
    "UNDECIDED_STATUSES",
    "PermissionDenied",
    "Role",
    "as_param_set",
    "outbound_apply_decision",
    "outbound_mark_approved",
    "outbound_preview",
    "outbound_submit",
]
