"""The request page: dossier, checks, current steps, timeline, documents and the user's actions.

:func:`render_detail` is shared by the page itself and by the action endpoints, which
re-render it with their bound form (and its errors) when the input is not accepted; the visit
page is built the same way (:func:`dossier_renderer`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from approvals.models import Decision
from delegations.dossier_reads import (
    DossierMembers,
    DossierReads,
    dossier_members,
    request_stops,
    request_visitors,
)
from delegations.forms import (
    AttachmentForm,
    DateForm,
    DepartureForm,
    ExtensionForm,
    JustificationForm,
    PassportReturnedForm,
    ReasonForm,
    ReportForm,
)
from delegations.kinds import AGREEMENT, INBOUND, OUTBOUND, UNIT_REPORT
from delegations.labels import event_label
from delegations.models import OutboundRequest, RequestStatus
from delegations.models.common import UNDECIDED_STATUSES
from delegations.presenters import (
    agreement_page,
    decision_list,
    inbound_detail,
    outbound_detail,
    preview_dict,
    unit_report_page,
)
from delegations.selectors import attachment_list_for_request, outbound_get_for_user
from delegations.services.trips import departure_confirmable_from, departure_not_yet_message
from delegations.views.common import (
    may_act_for_trip,
    may_edit,
    may_record_passports,
    request_url,
)
from org.models import Person
from workflow.selectors import task_due, tasks_for_request
from workflow.services import may_take

TRIP_OPEN = (RequestStatus.APPROVED, RequestStatus.TRAVELLING)

#: action → (route name, heading, button), in the order the page shows them.
ACTION_META = {
    "departure": ("outbound_departure", _("Xác nhận xuất cảnh"), _("Xác nhận xuất cảnh")),
    "return": ("outbound_return", _("Xác nhận về nước"), _("Xác nhận về nước")),
    "report": ("outbound_report", _("Nộp báo cáo kết quả"), _("Nộp báo cáo")),
    "passport": ("outbound_passport_returned", _("Ghi nhận nộp lại hộ chiếu"), _("Ghi nhận")),
    "extension": ("outbound_extension", _("Đề nghị gia hạn ngày về"), _("Gửi đề nghị gia hạn")),
    "withdraw": ("outbound_withdraw", _("Rút hồ sơ"), _("Rút hồ sơ")),
    "cancel": ("outbound_cancel", _("Hủy chuyến đi"), _("Hủy chuyến đi")),
}


def _no_reads(_request: Any, _today: datetime.date) -> dict[str, Any]:
    return {}


def _trip_reads(request: Any, today: datetime.date) -> dict[str, Any]:
    return {
        "decisions": decision_list(request),
        "members": dossier_members(request, today=today),
        "stops": request_stops(request),
    }


def _visit_reads(request: Any, _today: datetime.date) -> dict[str, Any]:
    return {"decisions": decision_list(request), "visitors": request_visitors(request)}


@dataclass(frozen=True)
class KindPage:
    """What the request page shows differently for each kind: the dossier and its partials."""

    #: The dossier's ``detail``; takes the open ``tasks`` and ``attachments`` already read, and
    #: what ``reads`` read.
    detail: Callable[..., dict[str, Any]]
    header_template: str
    dossier_template: str
    #: The rows the page reads once, as of a day, for the dossier (by the detail's keyword
    #: names), the rule preview of an editable dossier and the notice of the last return.
    reads: Callable[[Any, datetime.date], dict[str, Any]] = _no_reads


KIND_PAGES: dict[str, KindPage] = {
    OUTBOUND: KindPage(
        outbound_detail,
        "delegations/partials/dossier_header.html",
        "delegations/partials/outbound_dossier.html",
        _trip_reads,
    ),
    INBOUND: KindPage(
        inbound_detail,
        "delegations/partials/inbound_header.html",
        "delegations/partials/inbound_dossier.html",
        _visit_reads,
    ),
    AGREEMENT: KindPage(
        agreement_page,
        "delegations/partials/agreement_header.html",
        "delegations/partials/agreement_dossier.html",
    ),
    UNIT_REPORT: KindPage(
        unit_report_page,
        "delegations/partials/unit_report_header.html",
        "delegations/partials/unit_report_dossier.html",
    ),
}


def _parse_datetime(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def full_names(usernames: set[str]) -> dict[str, str]:
    """Usernames → directory names, in one query (the username stays when none is found)."""
    names = {u for u in usernames if u}
    rows = Person.objects.filter(user__username__in=names).values_list(
        "user__username", "full_name"
    )
    return {**{u: u for u in names}, **dict(rows)}


def timeline(history: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """Every audit event of the request, oldest first, with names people read."""
    entries = []
    for event in history:
        after = event.get("after") or {}
        entries.append(
            {
                "at": _parse_datetime(event["at"]),
                "action": event["action"],
                "label": event_label(event["action"]),
                "actor": names.get(event["actor"] or "", event["actor"] or ""),
                "acting_for": names.get(event["acting_for"] or "", event["acting_for"] or ""),
                "comment": event["comment"],
                "missing_items": after.get("missing_items") or [],
                "decision_number": after.get("decision_number") or "",
            }
        )
    return entries


def current_steps(tasks: list[Task], names: dict[str, str], user: Any) -> list[dict[str, Any]]:
    """Open tasks of the request: step, who holds it (or the queue), due date, may I act."""
    today = timezone.localdate()
    steps = []
    for task in tasks:
        human = task.flow_task_type == "HUMAN"
        due = task_due(task)
        owner = task.owner.get_username() if task.owner else None
        steps.append(
            {
                "task": task,
                "title": getattr(task.flow_task, "task_title", "") or task.flow_task.name,
                "step": task.flow_task.name,
                "owner": names.get(owner, owner) if owner else None,
                "due": due,
                "overdue": due is not None and due < today,
                "human": human,
                "can_take": human and may_take(task, user),
            }
        )
    return steps


def request_page(request: Any, user: Any) -> dict[str, Any]:
    """What the request page and the task page both show, with one query for every name.

    For either kind: an inbound visit brings its own dossier and page address.
    """
    page = KIND_PAGES[request.request_kind]
    today = timezone.localdate()
    # Read once, shown twice (the dossier's record and the page's own panels, the preview).
    tasks = tasks_for_request(request)
    attachments = list(attachment_list_for_request(request))
    rows = page.reads(request, today)
    detail = page.detail(request, tasks=tasks, attachments=attachments, **rows)
    history = detail["history"]
    creator = request.created_by.get_username()
    names = full_names(
        {e["actor"] or "" for e in history}
        | {e["acting_for"] or "" for e in history}
        | {t.owner.get_username() for t in tasks if t.owner}
        | {creator}
    )
    return {
        "request_obj": request,
        "detail": detail,
        "applicant_name": names.get(creator, creator),
        "steps": current_steps(tasks, names, user),
        "timeline": timeline(history, names),
        "attachments": attachments,
        "detail_url": request_url(request),
        "header_template": page.header_template,
        "dossier_template": page.dossier_template,
        "decisions": rows.get("decisions"),
        # What the rule preview of an editable dossier needs and the page has read already.
        "reads": DossierReads(
            on=today,
            members=rows.get("members"),
            stops=rows.get("stops"),
            visitors=rows.get("visitors"),
            attachment_kinds=frozenset(a.kind for a in attachments),
        ),
    }


def last_return(request: Any, decisions: list[Decision] | None = None) -> Decision | None:
    """The latest "return for changes" decision, shown above a returned dossier (``decisions``:
    every decision of the request, oldest first, already read)."""
    if decisions is not None:
        returns = [d for d in decisions if d.action == "return"]
        return max(returns, key=lambda d: (d.created_at, d.pk), default=None)
    return (
        Decision.objects.filter(
            request_kind=request.request_kind, request_id=request.pk, action="return"
        )
        .select_related("actor__person")
        .order_by("-created_at", "-pk")
        .first()
    )


def justification_checks(preview: dict[str, Any] | None) -> list[dict[str, Any]]:
    if preview is None:
        return []
    return [c for c in preview["checks"] if not c["passed"] and c["severity"] == "justify"]


def _action_forms(
    request: OutboundRequest,
    user: Any,
    detail: dict[str, Any],
    steps: list[dict[str, Any]],
    members: DossierMembers | None,
) -> dict[str, forms.Form]:
    """The trip actions this user may use now, each with an unbound form (``members``: as the
    page read them)."""
    status = request.status
    result: dict[str, forms.Form] = {}
    travellers = (
        {m.person.user_id for m in members.members if m.person.user_id} if members else None
    )
    if may_act_for_trip(user, request, travellers=travellers):
        if status in UNDECIDED_STATUSES:
            result["withdraw"] = ReasonForm(prefix="withdraw")
        if status == RequestStatus.APPROVED:
            result["departure"] = DepartureForm(prefix="departure")
        if status in TRIP_OPEN:
            result["return"] = DateForm(prefix="return")
            result["extension"] = ExtensionForm(prefix="extension")
            result["cancel"] = ReasonForm(prefix="cancel")
    if any(s["step"] == "submit_report" and s["can_take"] for s in steps):
        result["report"] = ReportForm(prefix="report")
    owing = [
        (m["person"], m["full_name"])
        for m in detail["members"]
        if m["passport_due_on"] and not m["passport_returned_on"]
    ]
    if owing and may_record_passports(user, request):
        result["passport"] = PassportReturnedForm(prefix="passport", people=owing)
    return result


def _action_notes(request: OutboundRequest, actions: dict[str, forms.Form]) -> dict[str, str]:
    """Actions shown but not yet possible, with the reason and the day they will be."""
    notes = {}
    if "departure" in actions and timezone.localdate() < departure_confirmable_from(request):
        notes["departure"] = departure_not_yet_message(request)
    return notes


def _dossier_context(
    http_request: HttpRequest,
    request: Any,
    *,
    bound: dict[str, forms.Form],
    blocked: list[dict[str, Any]] | None,
    errors: dict[str, list[str]] | None,
) -> dict[str, Any]:
    """What the page of a request or visit shows besides its kind's own: :func:`request_page`,
    the rule preview and the submit form while the user may edit it, the upload form, a refused
    submission's checks and errors, and the last return while it is returned. ``bound``
    replaces the submit or upload form after a POST."""
    user = http_request.user
    page = request_page(request, user)
    editable = may_edit(user, request)  # type: ignore[arg-type]
    preview = preview_dict(request, reads=page["reads"]) if editable else None
    checks = justification_checks(preview)
    on_file = {j["rule"]: j["text"] for j in page["detail"]["justifications"]}
    submit_form = bound.get("submit") or JustificationForm(
        prefix="submit",
        checks=checks,
        initial={f"j_{c['rule']}": on_file.get(c["rule"], "") for c in checks},
    )
    return {
        **page,
        "editable": editable,
        "preview": preview,
        "submit_form": submit_form if editable else None,
        "attachment_form": bound.get("attachment") or AttachmentForm(prefix="attachment"),
        "blocked": blocked or [],
        "errors": errors or {},
        "last_return": (
            last_return(request, page["decisions"])
            if request.status == RequestStatus.RETURNED
            else None
        ),
    }


@dataclass(frozen=True)
class DossierPage:
    """What a kind's page builds its own part from: the HTTP request, the request or visit,
    the shared context (:func:`_dossier_context`) and the forms bound after a POST."""

    http_request: HttpRequest
    target: Any
    context: dict[str, Any]
    bound: dict[str, forms.Form]


def dossier_renderer(
    template: str, extras: Callable[[DossierPage], dict[str, Any]]
) -> Callable[..., HttpResponse]:
    """The page of one kind: ``render_page(http_request, target, status=400, bound=…,
    blocked=…, errors=…)``, where ``bound`` replaces a form after a POST."""

    def render_page(
        http_request: HttpRequest,
        target: Any,
        *,
        status: int = 200,
        bound: dict[str, forms.Form] | None = None,
        blocked: list[dict[str, Any]] | None = None,
        errors: dict[str, list[str]] | None = None,
    ) -> HttpResponse:
        bound = bound or {}
        context = _dossier_context(
            http_request, target, bound=bound, blocked=blocked, errors=errors
        )
        context.update(extras(DossierPage(http_request, target, context, bound)))
        return render(http_request, template, context, status=status)

    return render_page


def _request_extras(page: DossierPage) -> dict[str, Any]:
    """The request page's actions, each with its form (bound after a POST) and a note while it
    is not yet possible."""
    request, context = page.target, page.context
    actions = _action_forms(
        request,
        page.http_request.user,
        context["detail"],
        context["steps"],
        context["reads"].members,
    )
    actions.update({k: v for k, v in page.bound.items() if k in ACTION_META})
    notes = _action_notes(request, actions)
    return {
        "actions": [
            {
                "key": key,
                "form": actions[key],
                "url": reverse(route, args=[request.pk]),
                "title": title,
                "button": button,
                "note": notes.get(key, ""),
                "closed": key in notes,
            }
            for key, (route, title, button) in ACTION_META.items()
            if key in actions
        ],
    }


render_detail = dossier_renderer("delegations/outbound_detail.html", _request_extras)


@login_required
def outbound_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The request page; 404 for a request the user may not see."""
    target = outbound_get_for_user(user=request.user, pk=pk)
    return render_detail(request, target)
