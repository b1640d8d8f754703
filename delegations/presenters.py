"""A request as people and programs see it: one structure for the API and the pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from viewflow.workflow.models import Task

from approvals.documents.selectors import documents_for_request
from approvals.models import AgencyNotification, AuditEvent, Decision, Justification, RuleStamp
from delegations.dossier_reads import (
    DossierMembers,
    DossierReads,
    complete,
    dossier_members,
    request_stops,
    request_visitors,
)
from delegations.facts import approval_states, evaluate, facts_for, resolve_approvers
from delegations.labels import step_title as step_label
from delegations.models import (
    Agreement,
    Attachment,
    InboundVisit,
    MemberConfirmation,
    OutboundRequest,
    OutboundStop,
    UnitReport,
    Visitor,
)
from delegations.privacy import mask_passport
from delegations.selectors import attachment_list_for_request
from workflow.rules.pack import rule_title
from workflow.rules.registry import Check
from workflow.selectors import TaskRow, task_due, tasks_for_request
from workflow.steps import action_label, step_for, step_title


def _language() -> str:
    return (get_language() or "vi")[:2]


def latest_checks(request: Any, kind: str) -> tuple[list[dict[str, Any]], RuleStamp | None]:
    stamp = (
        RuleStamp.objects.filter(request_kind=kind, request_id=request.pk).order_by("-pk").first()
    )
    if stamp is None:
        return [], None
    language = _language()
    return [Check.from_json(c).as_dict(language) for c in stamp.checks["checks"]], stamp


def task_dicts(
    request: Any, user: User | None = None, *, tasks: list[Task] | None = None
) -> list[dict[str, Any]]:
    """The request's open tasks (``tasks``: already read by the caller)."""
    if tasks is None:
        tasks = tasks_for_request(request)
    # Every task is about this request: no need to read it again per task.
    rows = [TaskRow(task=task, request=request, due=task_due(task)) for task in tasks]
    result = []
    for row in rows:
        step = step_for(row.task.flow_task.name)
        result.append(
            {
                "id": row.task.pk,
                "step": row.task.flow_task.name,
                "title": step_title(row.task),
                "status": row.task.status,
                "assigned_to": row.task.owner.get_username() if row.task.owner else None,
                "due": row.due.isoformat() if row.due else None,
                "overdue": row.overdue,
                "actions": [{"action": a, "label": action_label(step, a)} for a in step.actions]
                if step
                else [],
            }
        )
    return result


def history(kind: str, request_id: int) -> list[dict[str, Any]]:
    """The timeline, read from the audit log (amendments show their before and after)."""
    labels = [
        kind,
        f"delegations.{kind}",
        f"delegations.{kind.replace('_', '')}",
        f"delegations.{kind}request",
        f"delegations.{kind}visit",
    ]
    events = AuditEvent.objects.filter(object_type__in=labels, object_id=str(request_id)).order_by(
        "seq"
    )
    return [
        {
            "at": timezone.localtime(e.occurred_at).isoformat(),
            "actor": e.actor_username or None,
            "acting_for": e.acting_for or None,
            "action": e.action,
            "comment": e.comment,
            "before": e.before,
            "after": e.after,
        }
        for e in events
    ]


def notifications(kind: str, request_id: int) -> list[dict[str, Any]]:
    rows = AgencyNotification.objects.filter(
        request_kind=kind, request_id=request_id
    ).select_related("agency")
    return [
        {
            "id": n.pk,
            "agency": n.agency.name,
            "reason": n.reason,
            "status": n.status,
            "due": n.due.isoformat(),
            "sent_at": n.sent_at.isoformat() if n.sent_at else None,
            "acknowledged_at": n.acknowledged_at.isoformat() if n.acknowledged_at else None,
        }
        for n in rows
    ]


def attachment_dicts(
    request: Any, attachments: list[Attachment] | None = None
) -> list[dict[str, Any]]:
    """The request's attached files as the API and pages show them, oldest first
    (``attachments``: already read by the caller)."""
    route = f"{request.request_kind}_attachment_download"
    if attachments is None:
        attachments = list(attachment_list_for_request(request))
    return [
        {
            "id": a.pk,
            "kind": a.kind,
            "kind_label": a.get_kind_display(),
            "name": a.original_name,
            "content_type": a.content_type,
            "size": a.size,
            "sha256": a.sha256,
            "uploaded_by": a.uploaded_by.get_username(),
            "uploaded_at": a.uploaded_at.isoformat(),
            "url": reverse(route, args=[a.pk]),
        }
        for a in attachments
    ]


def approval_dicts(request: Any, decisions: list[Decision] | None = None) -> list[dict[str, Any]]:
    """Every approval on file: whether it still covers the dossier, and if not, what changed.

    ``decisions``: every decision of the request, already read by the caller.
    """
    return [
        {
            "step": state.decision.step,
            "step_title": step_label(state.decision.step),
            "actor": state.decision.actor.get_username(),
            "acting_for": (
                state.decision.acting_for.get_username() if state.decision.acting_for else None
            ),
            "at": state.decision.created_at.isoformat(),
            "fingerprint": state.decision.fingerprint,
            "stands": state.stands,
            "lapsed_at": (
                state.decision.lapsed_at.isoformat() if state.decision.lapsed_at else None
            ),
            "changed": list(state.changed),
        }
        for state in approval_states(request, decisions=decisions)
    ]


def decision_list(request: Any) -> list[Decision]:
    """Every decision on the request, oldest first, with who took it (and for whom)."""
    return list(
        Decision.objects.filter(
            request_kind=request.request_kind, request_id=request.pk
        ).select_related("actor__person", "acting_for")
    )


def _identity(obj: Any) -> dict[str, Any]:
    """Which dossier it is and where it stands: id, reference, status (and its label), unit."""
    return {
        "id": obj.pk,
        "reference": obj.reference,
        "status": obj.status,
        "status_label": obj.get_status_display(),
        "unit": {"code": obj.unit.code, "name": obj.unit.name},
    }


def record_detail(
    request: Any,
    *,
    tasks: list[Task] | None = None,
    attachments: list[Attachment] | None = None,
    decisions: list[Decision] | None = None,
) -> dict[str, Any]:
    """What every request shows, outbound or inbound: identity, state, decisions, the record.

    ``tasks`` (open ones), ``attachments`` and ``decisions`` (:func:`decision_list`): already
    read by the caller (the request page shows them too); each table is read once.
    """
    kind = request.request_kind
    checks, stamp = latest_checks(request, kind)
    justifications = Justification.objects.filter(
        request_kind=kind, request_id=request.pk
    ).select_related("author")
    if decisions is None:
        decisions = decision_list(request)
    return {
        **_identity(request),
        "route": request.route,
        "decision_number": request.decision_number,
        "decision_date": request.decision_date.isoformat() if request.decision_date else None,
        "report_due": request.report_due.isoformat() if request.report_due else None,
        "report_text": request.report_text,
        "checks": checks,
        "ruleset_version": stamp.ruleset_version if stamp else None,
        "justifications": [
            {
                "rule": j.rule,
                "title": rule_title(j.rule),
                "text": j.text,
                "author": j.author.get_username(),
                "at": j.created_at.isoformat(),
            }
            for j in justifications
        ],
        "decisions": [
            {
                "step": d.step,
                "action": d.action,
                "actor": d.actor.get_username(),
                "acting_for": d.acting_for.get_username() if d.acting_for else None,
                "comment": d.comment,
                "data": d.data,
                "at": d.created_at.isoformat(),
            }
            for d in decisions
        ],
        "approvals": approval_dicts(request, decisions),
        "current_tasks": task_dicts(request, tasks=tasks),
        "history": history(kind, request.pk),
        "documents": (documents := documents_for_request(kind, request.pk)),
        # The page refreshes itself while a document's files are being made.
        "documents_preparing": any(
            not d["ready"] and d["render_state"] != "failed" for d in documents
        ),
        "attachments": attachment_dicts(request, attachments),
        "notifications": notifications(kind, request.pk),
        "version": request.version,
    }


def outbound_detail(
    request: OutboundRequest,
    *,
    tasks: list[Task] | None = None,
    attachments: list[Attachment] | None = None,
    decisions: list[Decision] | None = None,
    members: DossierMembers | None = None,
    stops: tuple[OutboundStop, ...] | None = None,
) -> dict[str, Any]:
    """Everything the request page and ``GET /api/v1/outbound/{id}/`` show.

    ``members`` (with their trips) and ``stops``: already read by the caller, as for
    :func:`record_detail`.
    """
    if members is None:
        members = dossier_members(request, today=timezone.localdate())
    if stops is None:
        stops = request_stops(request)
    # The trips this year, this one included when it counts.
    trips = members.trips.official_counts(request.departure_date.year)
    return {
        **record_detail(request, tasks=tasks, attachments=attachments, decisions=decisions),
        "kind": request.kind,
        "purpose": request.purpose,
        "purpose_category": request.purpose_category,
        "expected_results": request.expected_results,
        "departure_date": request.departure_date.isoformat(),
        "return_date": request.return_date.isoformat(),
        "actual_departure": request.actual_departure.isoformat()
        if request.actual_departure
        else None,
        "actual_return": request.actual_return.isoformat() if request.actual_return else None,
        "members": [
            {
                "person": m.person_id,
                "full_name": m.person.full_name,
                "unit": m.person.unit.code,
                "position": m.person.position,
                "role": m.role,
                "confirmation": m.confirmation,
                "passport": (
                    {
                        "kind": m.passport.kind,
                        "number": mask_passport(m.passport.number),
                        "expires_on": m.passport.expires_on.isoformat(),
                    }
                    if m.passport
                    else None
                ),
                "official_trips_this_year": trips.get(m.person_id, 0),
                "passport_due_on": m.passport_due_on.isoformat() if m.passport_due_on else None,
                "passport_returned_on": (
                    m.passport_returned_on.isoformat() if m.passport_returned_on else None
                ),
            }
            for m in members.members
        ],
        "members_waiting": [
            m.person.full_name
            for m in members.members
            if m.confirmation == MemberConfirmation.PENDING
        ],
        "itinerary": [{"country": s.country, "days": s.days, "cities": s.cities} for s in stops],
        "inviter": {
            "name": request.inviter_name,
            "country": request.inviter_country,
            "is_enterprise": request.inviter_is_enterprise,
            "named_invitation": request.named_invitation,
        },
        "agreement": request.agreement_id,
        "funding_source": request.funding_source,
        "estimated_cost": request.estimated_cost,
        "sponsored_by_enterprise": request.sponsored_by_enterprise,
        "tied_to_contract": request.tied_to_contract,
        "work_programme": request.work_programme,
        "presentation_abroad": request.presentation_abroad,
        "presentation_text": request.presentation_text,
        "head_appraisal": request.head_appraisal,
    }


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


#: The visit's fields that the API shows and takes back as they are stored.
VISIT_FIELDS = (
    "organisation", "country", "purpose_category", "purpose", "programme", "venues",
    "interpreter", "press_coverage", "sponsor", "enterprise_involved",
    "involves_student_recruitment", "involves_advertising", "is_conference",
    "senior_guest_level", "prime_minister_decides",
)  # fmt: skip


def visit_content(visit: InboundVisit) -> dict[str, Any]:
    """The visit's own content in the API's shape (what its input takes too), without visitors."""
    return {
        **{name: getattr(visit, name) for name in VISIT_FIELDS},
        "arrival_date": visit.arrival_date.isoformat(),
        "departure_date": visit.departure_date.isoformat(),
        "agreement": visit.agreement_id,
        "accommodation": {"kind": visit.accommodation_kind, "address": visit.accommodation_address},
    }


def inbound_detail(
    visit: InboundVisit,
    *,
    tasks: list[Task] | None = None,
    attachments: list[Attachment] | None = None,
    decisions: list[Decision] | None = None,
    visitors: tuple[Visitor, ...] | None = None,
) -> dict[str, Any]:
    """Everything the visit page and ``GET /api/v1/inbound/{id}/`` show (``visitors``: already
    read by the caller, as for :func:`record_detail`)."""
    if visitors is None:
        visitors = request_visitors(visit)
    return {
        **record_detail(visit, tasks=tasks, attachments=attachments, decisions=decisions),
        "host_unit": {"code": visit.unit.code, "name": visit.unit.name},
        **visit_content(visit),
        "actual_arrival": _iso(visit.actual_arrival),
        "actual_departure": _iso(visit.actual_departure),
        "visitors": [
            {
                "id": v.pk,
                "full_name": v.full_name,
                "nationality": v.nationality,
                "passport_number": mask_passport(v.passport_number),
                "passport_expiry": _iso(v.passport_expiry),
                "date_of_birth": _iso(v.date_of_birth),
                "organisation": v.organisation,
                "title": v.title,
            }
            for v in visitors
        ],
        "residence_declared_at": _iso(visit.residence_declared_at),
    }


def preview_dict(request: Any, *, reads: DossierReads | None = None) -> dict[str, Any]:
    """Route, approvers in order, every check and the earliest expected decision date.

    For any request (outbound or inbound): the rule pack reads its facts by kind. ``reads``:
    what the page already read today (``request_page``); the facts and the approvers read the
    rest once (the roles people hold and the holders of the steps are one query).
    """
    reads = complete(request, reads or DossierReads(on=timezone.localdate()))
    assert reads.unit is not None  # complete() reads what is missing
    evaluation = evaluate(facts_for(request, reads.on, reads=reads), reads.on)
    data = evaluation.as_dict((get_language() or "vi")[:2])
    language = (get_language() or "vi")[:2]
    data["approvers"] = [
        {
            "step": item.step.kind,
            "title": item.step.title_en if language == "en" else item.step.title_vi,
            "role": item.step.role,
            "unit": item.unit.code if item.unit else None,
            "due": item.step.due_on.isoformat(),
            "people": [
                {
                    "username": a.user.get_username(),
                    "full_name": a.full_name,
                    "acting_for": a.acting_for.get_username() if a.acting_for else None,
                }
                for a in item.approvers
            ],
        }
        for item in resolve_approvers(
            evaluation.steps, unit=reads.unit, on=evaluation.on, roles=reads.roles
        )
    ]
    return data


def _artifact_page(kind: str, artifact: Agreement | UnitReport) -> dict[str, Any]:
    """The page's ``detail`` of a flow artifact that is not a travel dossier: its reference,
    status, unit and history (kind ``agreement`` or ``unit_report``)."""
    return {**_identity(artifact), "history": history(kind, artifact.pk)}


def agreement_page(agreement: Agreement, **_preloaded: Any) -> dict[str, Any]:
    """What the task page shows of an MOU proposal (the page's ``detail``)."""
    return _artifact_page("agreement", agreement)


def unit_report_page(report: UnitReport, **_preloaded: Any) -> dict[str, Any]:
    """What the task page shows of a unit's report in a reporting round."""
    return _artifact_page("unit_report", report)
