"""The visit page and its POST endpoints: submit, actions (withdraw, cancel, residence,
amendment, report) and attachments.

The page reuses the request page's pieces (:func:`request_page`, justifications, timeline);
each endpoint validates its form, calls one service and redirects to the page. Bad input
re-renders the page with the form bound (nothing typed is lost); a state conflict is the 409
page; an invisible visit is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.errors import RulesBlocked, StateConflict, ValidationError
from delegations.forms import ReasonForm
from delegations.forms_inbound import AmendForm, ResidenceForm, VisitReportForm
from delegations.models import InboundVisit
from delegations.models.common import UNDECIDED_STATUSES
from delegations.presenters import preview_dict
from delegations.selectors import inbound_get_for_user
from delegations.services.visitor_import import VisitorSheetError, parse_visitor_sheet
from delegations.services.visits import LIVE_STATUSES
from delegations.views.common import (
    add_service_errors,
    attachment_add_answer,
    conflict_page,
    may_act_for_trip,
    submit_and_answer,
)
from delegations.views.outbound_detail import (
    DossierPage,
    dossier_renderer,
    justification_checks,
)
from workflow.services import INBOUND_VERBS, request_submit


def _amend(user: Any, visit: InboundVisit, data: dict[str, Any]) -> Any:
    upload = data.get("visitor_file")
    visitors = parse_visitor_sheet(upload.read(), upload.name or "") if upload else None
    return INBOUND_VERBS["amendment"](user, visit, {**data, "visitors": visitors})


@dataclass(frozen=True)
class VisitAction:
    route: str
    title: Any
    button: Any
    form: type[forms.Form]
    call: Callable[[Any, InboundVisit, dict[str, Any]], Any]
    done: Any


#: action → what it shows and calls, in the order the page shows them.
VISIT_ACTIONS: dict[str, VisitAction] = {
    "residence": VisitAction(
        "inbound_residence",
        gettext_lazy("Xác nhận đã khai báo tạm trú"),
        gettext_lazy("Xác nhận"),
        ResidenceForm,
        INBOUND_VERBS["residence"],
        gettext_lazy("Đã xác nhận khai báo tạm trú cho khách."),
    ),
    "amendment": VisitAction(
        "inbound_amendment",
        gettext_lazy("Điều chỉnh ngày hoặc danh sách khách"),
        gettext_lazy("Gửi điều chỉnh"),
        AmendForm,
        _amend,
        gettext_lazy("Đã điều chỉnh; các cơ quan chức năng sẽ được thông báo lại."),
    ),
    "report": VisitAction(
        "inbound_report",
        gettext_lazy("Nộp báo cáo kết quả đón đoàn"),
        gettext_lazy("Nộp báo cáo"),
        VisitReportForm,
        INBOUND_VERBS["report"],
        gettext_lazy("Đã nộp báo cáo kết quả đón đoàn."),
    ),
    "withdraw": VisitAction(
        "inbound_withdraw",
        gettext_lazy("Rút hồ sơ"),
        gettext_lazy("Rút hồ sơ"),
        ReasonForm,
        INBOUND_VERBS["withdraw"],
        gettext_lazy("Đã rút hồ sơ."),
    ),
    "cancel": VisitAction(
        "inbound_cancel",
        gettext_lazy("Hủy đón đoàn"),
        gettext_lazy("Hủy đón đoàn"),
        ReasonForm,
        INBOUND_VERBS["cancel"],
        gettext_lazy("Đã hủy đón đoàn; các cơ quan chức năng sẽ được thông báo."),
    ),
}


def _available(visit: InboundVisit, user: Any, steps: list[dict[str, Any]]) -> set[str]:
    """The actions this user may use now (the services check again)."""
    result: set[str] = set()
    if may_act_for_trip(user, visit):
        if visit.status in UNDECIDED_STATUSES:
            result.add("withdraw")
        if visit.status in LIVE_STATUSES:
            result |= {"amendment", "cancel"}
            if visit.residence_declared_at is None:
                result.add("residence")
    if any(s["step"] == "submit_report" and s["can_take"] for s in steps):
        result.add("report")
    return result


def _visit_extras(page: DossierPage) -> dict[str, Any]:
    """The visit page's links and actions, each with its form (bound after a POST)."""
    visit, bound = page.target, page.bound
    rebound = set(bound) - {"submit", "attachment"}
    available = _available(visit, page.http_request.user, page.context["steps"]) | rebound
    return {
        "edit_url": reverse("inbound_edit", args=[visit.pk]),
        "submit_url": reverse("inbound_submit", args=[visit.pk]),
        "actions": [
            {
                "key": key,
                "form": bound.get(key) or spec.form(prefix=key),
                "url": reverse(spec.route, args=[visit.pk]),
                "title": spec.title,
                "button": spec.button,
                "multipart": key == "amendment",
            }
            for key, spec in VISIT_ACTIONS.items()
            if key in available
        ],
    }


render_visit = dossier_renderer("delegations/inbound_detail.html", _visit_extras)


@login_required
def inbound_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit page; 404 for a visit the user may not see."""
    return render_visit(request, inbound_get_for_user(user=request.user, pk=pk))


def _conflict(request: HttpRequest, visit: InboundVisit, error: StateConflict) -> HttpResponse:
    back = reverse("inbound_detail", args=[visit.pk])
    return conflict_page(request, error, back_url=back, back_label=_("Quay lại hồ sơ"))


@login_required
@require_POST
def inbound_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit or resubmit; blocked checks and missing justifications are shown inline (422)."""
    visit = inbound_get_for_user(user=request.user, pk=pk)
    return submit_and_answer(
        request,
        visit,
        checks=justification_checks(preview_dict(visit)) if visit.is_editable else [],
        submit=lambda justifications: request_submit(
            actor=request.user,  # type: ignore[arg-type]
            request=visit,
            justifications=justifications,
        ),
        page=render_visit,
        back=reverse("inbound_detail", args=[visit.pk]),
    )


@login_required
@require_POST
def inbound_visit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One of the visit's actions (withdraw, cancel, residence, amendment, report)."""
    visit = inbound_get_for_user(user=request.user, pk=pk)
    spec = VISIT_ACTIONS[action]
    form = spec.form(request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        return render_visit(request, visit, status=400, bound={action: form})
    try:
        spec.call(request.user, visit, form.cleaned_data)
    except StateConflict as error:
        return _conflict(request, visit, error)
    except RulesBlocked as error:
        return render_visit(
            request,
            visit,
            status=422,
            bound={action: form},
            blocked=error.checks,
            errors={"__all__": [error.message]},
        )
    except VisitorSheetError as error:
        for message in error.messages:
            form.add_error("visitor_file", message)
        return render_visit(request, visit, status=400, bound={action: form})
    except ValidationError as error:
        rest = add_service_errors(error, form)
        return render_visit(request, visit, status=400, bound={action: form}, errors=rest)
    messages.success(request, str(spec.done))
    return redirect(reverse("inbound_detail", args=[visit.pk]))


@login_required
@require_POST
def inbound_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file of a declared type to a draft or returned visit."""
    visit = inbound_get_for_user(user=request.user, pk=pk)
    return attachment_add_answer(
        request, visit, page=render_visit, back=reverse("inbound_detail", args=[visit.pk])
    )
