"""POST endpoints of the request page: submit, the trip's actions, attachments.

Each endpoint validates its form, calls one service and redirects to the request page. Bad
input re-renders the page with the form bound (nothing typed is lost); a state conflict is the
409 page; a refusal by permission is the 403 page; an invisible request is a 404.
"""

from __future__ import annotations

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

from config.errors import StateConflict, ValidationError
from delegations.forms import (
    DateForm,
    DepartureForm,
    ExtensionForm,
    PassportReturnedForm,
    ReasonForm,
    ReportForm,
)
from delegations.models import OutboundRequest
from delegations.presenters import preview_dict
from delegations.selectors import outbound_get_for_user
from delegations.views.common import (
    add_service_errors,
    attachment_add_answer,
    conflict_page,
    submit_and_answer,
)
from delegations.views.outbound_detail import justification_checks, render_detail
from workflow.rules.pack import rule_title
from workflow.services import OUTBOUND_VERBS, request_submit


def _detail_url(request: OutboundRequest) -> str:
    return reverse("outbound_detail", args=[request.pk])


def _conflict(
    http_request: HttpRequest, target: OutboundRequest, error: StateConflict
) -> HttpResponse:
    return conflict_page(
        http_request, error, back_url=_detail_url(target), back_label=_("Quay lại hồ sơ")
    )


@login_required
@require_POST
def outbound_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit or resubmit; blocked checks and missing justifications are shown inline (422)."""
    target = outbound_get_for_user(user=request.user, pk=pk)
    # The fields follow what the rules ask now, plus whatever the user already typed.
    checks = justification_checks(preview_dict(target)) if target.is_editable else []
    known = {c["rule"] for c in checks}
    typed = [
        {"rule": key[len("submit-j_") :], "message": rule_title(key[len("submit-j_") :])}
        for key in request.POST
        if key.startswith("submit-j_") and key[len("submit-j_") :] not in known
    ]
    return submit_and_answer(
        request,
        target,
        checks=checks,
        typed=typed[:50],
        submit=lambda justifications: request_submit(
            actor=request.user,  # type: ignore[arg-type]
            request=target,
            justifications=justifications,
        ),
        page=render_detail,
        back=_detail_url(target),
    )


@dataclass(frozen=True)
class TripAction:
    form: type[forms.Form]
    done: Any  # lazy message


#: action → its form and the message once done; the verb is ``OUTBOUND_VERBS[action]``.
TRIP_ACTIONS: dict[str, TripAction] = {
    "withdraw": TripAction(ReasonForm, gettext_lazy("Đã rút hồ sơ.")),
    "cancel": TripAction(
        ReasonForm, gettext_lazy("Đã hủy chuyến đi; các cơ quan chức năng sẽ được thông báo.")
    ),
    "departure": TripAction(DepartureForm, gettext_lazy("Đã xác nhận xuất cảnh.")),
    "return": TripAction(DateForm, gettext_lazy("Đã xác nhận về nước.")),
    "extension": TripAction(ExtensionForm, gettext_lazy("Đã gửi đề nghị gia hạn.")),
    "report": TripAction(ReportForm, gettext_lazy("Đã nộp báo cáo kết quả chuyến đi.")),
    "passport": TripAction(PassportReturnedForm, gettext_lazy("Đã ghi nhận nộp lại hộ chiếu.")),
}


def _bind(action: str, request: HttpRequest, target: OutboundRequest) -> forms.Form:
    spec = TRIP_ACTIONS[action]
    if spec.form is PassportReturnedForm:
        people = target.members.select_related("person").values_list(
            "person_id", "person__full_name"
        )
        return PassportReturnedForm(request.POST, prefix=action, people=list(people))
    return spec.form(request.POST, prefix=action)


@login_required
@require_POST
def outbound_trip_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One of the trip's actions (withdraw, cancel, departure, return, extension, report...)."""
    target = outbound_get_for_user(user=request.user, pk=pk)
    form = _bind(action, request, target)
    if form.is_valid():
        try:
            OUTBOUND_VERBS[action](request.user, target, form.cleaned_data)
        except StateConflict as error:
            return _conflict(request, target, error)
        except ValidationError as error:
            rest = add_service_errors(error, form)
            return render_detail(request, target, status=400, bound={action: form}, errors=rest)
        else:
            messages.success(request, str(TRIP_ACTIONS[action].done))
            return redirect(_detail_url(target))
    return render_detail(request, target, status=400, bound={action: form})


@login_required
@require_POST
def outbound_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file of a declared type to a draft or returned request."""
    target = outbound_get_for_user(user=request.user, pk=pk)
    return attachment_add_answer(request, target, page=render_detail, back=_detail_url(target))
