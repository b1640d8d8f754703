"""The domain effect of every decision on a request, for both kinds and the extensions.

Called by the flows, inside the process lock: :func:`apply_decision` and
:func:`outbound_extension_decision` by :func:`workflow.services.task_complete` (through
``workflow.flows.registry.DECISION_HANDLERS``), the approvals and the extension by the flows'
``Function`` nodes. Nothing here drives a flow.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from approvals.documents.content_common import signing_decision_taken
from approvals.documents.services import (
    documents_issue_on_approval,
    documents_issue_on_extension,
    documents_issue_on_proposal,
)
from approvals.models import Decision, NoticeReason
from config.errors import ValidationError
from delegations.dossier_reads import DossierReads, decision_reads
from delegations.facts import changed_sections, dossier_content, dossier_fingerprint
from delegations.models import InboundStatus, InboundVisit, OutboundRequest, RequestStatus
from delegations.services.common import (
    city_decision,
    documents_kept_as_issued,
    notify_agencies,
    request_lock,
    request_ref,
    require_comment,
    rule_stamp_for_decision,
)
from org.calendar import add_working_days, current_calendar
from org.models import Unit
from workflow.models import timing_params
from workflow.steps import DECIDES, HANDS_IN_REPORT, RESUBMITS, REVIEWS_REPORT, StepDecision


def _hand_in_report(request: Any, comment: str, fields: dict[str, Any]) -> None:
    text = (fields.get("text") or comment or "").strip()
    if not text:
        raise ValidationError({"text": [_("Vui lòng nhập nội dung báo cáo.")]})
    request.report_text = text
    request.report_submitted_at = timezone.now()


def _review_report(request: Any, action: str, comment: str) -> None:
    require_comment(action, comment)
    if action == "accept":
        request.report_accepted_at = timezone.now()
        request.status = RequestStatus.CLOSED
    else:
        request.report_submitted_at = None


def _decide(
    request: Any, decision: StepDecision, content: dict[str, str], reads: DossierReads
) -> dict[str, Any]:
    """A decision proper: stamped with the rule outcomes; returns the data it records."""
    step, action, fields = decision.step, decision.action, decision.fields
    require_comment(action, decision.comment)
    data: dict[str, Any] = {}
    if step.lists_missing_items and action == "return":
        items = [str(i).strip() for i in fields.get("missing_items") or [] if str(i).strip()]
        if not items:
            raise ValidationError({"missing_items": [_("Liệt kê các nội dung cần bổ sung.")]})
        data["missing_items"] = items
    if step.records_city_decision:
        data.update(city_decision(fields))
        request.decision_number = data["decision_number"]
        request.decision_date = datetime.date.fromisoformat(data["decision_date"])
    rule_stamp_for_decision(request, step.name, content, reads=reads)
    if action == "return":
        request.status = RequestStatus.RETURNED
    elif action == "reject":
        request.status = RequestStatus.REJECTED
        request.decided_at = timezone.now()
    return data


def _record_decision(
    request: Any,
    decision: StepDecision,
    data: dict[str, Any],
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    content: dict[str, str] | None = None,
) -> None:
    """The :class:`Decision` row and the audit event ``<kind>.<step>.<action>``.

    ``content``: the digests of the dossier the decision saw (decisions proper), so that the
    approval binds to that dossier (:func:`approvals_lapse`).
    """
    fingerprint = dossier_fingerprint(content) if content is not None else ""
    if fingerprint:
        after = {**after, "fingerprint": fingerprint}
    actor = decision.actor
    recorded = Decision.objects.create(
        **request_ref(request),
        step=decision.step.name,
        action=decision.action,
        actor=actor.user,
        acting_for=actor.acting_for,
        comment=decision.comment,
        data=data,
        task_id=decision.task.pk,
        fingerprint=fingerprint,
        content=content or {},
    )
    signing_decision_taken(recorded)  # the documents issued with an approval name its author
    audit_record(
        actor=actor.user,
        action=f"{request.request_kind}.{decision.step.name}.{decision.action}",
        obj=request,
        before=before,
        after=after,
        comment=decision.comment,
        acting_for=actor.acting_for.get_username() if actor.acting_for else "",
    )


def apply_decision(*, request: Any, decision: StepDecision) -> None:
    """The domain effect of a human step, inside the flow's lock (called by task_complete).

    The same for outbound requests and inbound visits: the steps share their names. Writes the
    request, a :class:`Decision` row and the audit event ``<kind>.<step>.<action>``. ``request``
    is the row :func:`workflow.services.task_complete` read under its lock (it locks the
    request first, then the process).
    """
    before_status = request.status
    data: dict[str, Any] = {}
    effect = decision.step.effect
    # A decision proper reads the dossier once: for its content fingerprint and its facts.
    reads = decision_reads(request, on=timezone.localdate()) if effect == DECIDES else None
    content = dossier_content(request, reads) if reads is not None else None
    if effect == RESUBMITS:
        pass  # the submission service already re-evaluated and stamped
    elif effect == HANDS_IN_REPORT:
        _hand_in_report(request, decision.comment, decision.fields)
    elif effect == REVIEWS_REPORT:
        _review_report(request, decision.action, decision.comment)
    else:
        assert content is not None and reads is not None
        data = _decide(request, decision, content, reads)
    request.version += 1
    request.save()
    _record_decision(
        request,
        decision,
        data,
        before={"status": before_status},
        after={"status": request.status, **data},
        content=content,
    )
    if decision.step.name == "propose_by_director" and decision.action == "approve":
        # Route CITY: the Director's tờ trình to UBND TP, signed by whoever proposed.
        documents_issue_on_proposal(request=request)


def approvals_lapse(*, actor: Any, request: Any) -> list[Decision]:
    """At a resubmission: the approvals whose covered content changed lapse.

    Compares the dossier now with the content each standing approval recorded; those that
    differ are marked lapsed with the sections that changed, and the audit event
    ``<kind>.approvals_lapsed`` names them. The flow then sends the dossier back to the first
    step whose approval lapsed (``workflow.flows.common``). Returns the lapsed decisions.
    """
    now_content = dossier_content(request)
    now = dossier_fingerprint(now_content)
    lapsed: list[Decision] = []
    standing = Decision.objects.filter(
        **request_ref(request), action="approve", lapsed_at__isnull=True
    ).exclude(fingerprint="")
    for decision in standing.order_by("created_at", "pk"):
        if decision.fingerprint == now:
            continue
        decision.lapsed_at = timezone.now()
        decision.lapse_sections = changed_sections(decision.content, now_content)
        decision.save(update_fields=["lapsed_at", "lapse_sections"])
        lapsed.append(decision)
    if lapsed:
        audit_record(
            actor=actor,
            action=f"{request.request_kind}.approvals_lapsed",
            obj=request,
            after={
                "fingerprint": now,
                "lapsed": [
                    {"step": d.step, "decision": d.pk, "changed": d.lapse_sections} for d in lapsed
                ],
            },
        )
    return lapsed


def outbound_mark_approved(*, request: OutboundRequest) -> None:
    """The flow reached approval: record it, number the decision and the agencies' letter
    (files render after commit) and queue the agencies' notifications (with their e-mails)."""
    request = request_lock(request)
    request.status = RequestStatus.APPROVED
    request.decided_at = timezone.now()
    request.version += 1
    request.save()
    documents_issue_on_approval(request=request)
    due = add_working_days(timezone.localdate(), 1, current_calendar())
    sent = notify_agencies(request, NoticeReason.APPROVAL, due=due)
    audit_record(
        actor=None,
        action="outbound.approved",
        obj=request,
        before={"status": RequestStatus.SUBMITTED},
        after={"status": request.status, "notifications": sent},
    )


def notification_due(arrival: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """``notify_days`` working days before the arrival, and never before today."""
    today = today or timezone.localdate()
    due = add_working_days(arrival, -timing_params(today)["notify_days"], current_calendar())
    return max(due, today)


def inbound_mark_approved(*, visit: InboundVisit) -> None:
    """The flow reached approval: record it, issue the approval letter to the host and the
    agencies' letter, and queue the police's and Foreign Affairs' notices, due
    :func:`notification_due` before the arrival."""
    visit = request_lock(visit)
    before = visit.status
    visit.status = InboundStatus.APPROVED
    visit.decided_at = timezone.now()
    visit.version += 1
    visit.save()
    documents_issue_on_approval(request=visit)
    due = notification_due(visit.arrival_date)
    sent = notify_agencies(visit, NoticeReason.APPROVAL, due=due)
    audit_record(
        actor=None, action="inbound.approved", obj=visit,
        before={"status": before},
        after={"status": visit.status, "notifications": sent, "notifications_due": due},
    )  # fmt: skip


def inbound_inform_department(*, visit: InboundVisit, department: Unit) -> None:
    """Ward route: the department office is informed of the ward chair's approval.

    Recorded as an audit event on the visit (no decision, no task); from then on the department's
    reviewers may open the visit (see :func:`delegations.kinds.request_list_for_user`).
    """
    audit_record(
        actor=None, action="inbound.department_informed", obj=visit,
        after={"department": department.code, "route": visit.route},
        comment=_("Văn phòng Sở được thông báo về quyết định đồng ý của UBND phường."),
    )  # fmt: skip


def outbound_extension_decision(*, request: Model, decision: StepDecision) -> None:
    """Record the authority's decision on an extension (inside the flow's lock)."""
    require_comment(decision.action, decision.comment)
    data: dict[str, Any] = {"new_return_date": decision.task.process.data.get("new_return_date")}
    if decision.step.records_city_decision:
        data.update(city_decision(decision.fields))
    _record_decision(request, decision, data, before=None, after=data)


def outbound_apply_extension(*, request: OutboundRequest, new_return_date: str) -> None:
    """The extension was granted: move the return date, issue the amending decision (its new
    return date) and tell the agencies."""
    request = request_lock(request)
    documents_kept_as_issued(request)  # the decision it amends keeps its approved return date
    before = request.return_date
    request.return_date = datetime.date.fromisoformat(new_return_date)
    request.version += 1
    request.save()
    documents_issue_on_extension(request=request, old_return=before)
    sent = notify_agencies(request, NoticeReason.EXTENSION, due=None)
    audit_record(
        actor=None,
        action="outbound.extended",
        obj=request,
        before={"return_date": before},
        after={"return_date": request.return_date, "notifications": sent},
    )
