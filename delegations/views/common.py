"""What the request pages share: the 409 page, service errors onto forms, display helpers,
and the download of an attachment (outbound or inbound)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from config.errors import PermissionDenied, StateConflict, ValidationError
from delegations.kinds import AGREEMENT, INBOUND, UNIT_REPORT
from delegations.models import OutboundRequest
from delegations.selectors import attachment_get_for_user
from delegations.services import trips
from delegations.services.common import ensure_can_edit
from delegations.services.common import may_act_for_trip as ensure_may_act_for_trip


def conflict_page(
    request: HttpRequest,
    error: StateConflict,
    *,
    back_url: str,
    back_label: str = "",
    detail: str = "",
) -> HttpResponse:
    """The clear answer to an action that lost a race or no longer fits the state (HTTP 409).

    ``detail`` says what happened instead (who decided what, and when), when it is known.
    """
    return render(
        request,
        "409.html",
        {
            "message": error.message,
            "detail": detail,
            "back_url": back_url,
            "back_label": back_label,
        },
        status=409,
    )


def error_dict(error: ValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as ``{field: [messages]}`` (``__all__`` for the rest)."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


def add_service_errors(
    error: ValidationError, *candidates: forms.Form | None
) -> dict[str, list[str]]:
    """Put each message on the first form that has that field; return those that fit none."""
    rest: dict[str, list[str]] = {}
    for field, messages in error_dict(error).items():
        form = next((f for f in candidates if f is not None and field in f.fields), None)
        for message in messages:
            if form is not None:
                form.add_error(field, message)
            else:
                rest.setdefault(field, []).append(message)
    return rest


def request_url(request: Any) -> str:
    """The page of a request of either kind."""
    if request.request_kind == AGREEMENT:
        return reverse("agreement_detail", args=[request.pk])
    if request.request_kind == UNIT_REPORT:
        return reverse("unit_report_detail", args=[request.pk])
    name = "inbound_detail" if request.request_kind == INBOUND else "outbound_detail"
    return reverse(name, args=[request.pk])


def may_edit(user: User, request: Any) -> bool:
    """Whether the edit, submit and upload controls apply to this user and state."""
    try:
        ensure_can_edit(actor=user, request=request)
    except (StateConflict, PermissionDenied):
        return False
    return True


def may_act_for_trip(user: User, request: Any) -> bool:
    """Whether the trip controls (withdraw, cancel, dates, extension) apply to this user."""
    try:
        ensure_may_act_for_trip(user, request)
    except PermissionDenied:
        return False
    return True


def may_record_passports(user: User, request: OutboundRequest) -> bool:
    """The passport service's own check, to show its form only to those it accepts."""
    return trips.may_record_passports(user, request)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file of a request or visit the user may see, always as a download, never inline."""
    attachment = attachment_get_for_user(user=request.user, pk=pk)
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp.")) from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
