"""What the request pages share: the 409 page, service errors onto forms, the answers to a
submission and to an upload, display helpers, and the download of an attachment (outbound or
inbound)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from config.db.replica import replica_reads
from config.errors import (
    PermissionDenied,
    RulesBlocked,
    StateConflict,
    ValidationError,
    messages_by_field,
)
from config.paging import keyset_page
from delegations.forms import AttachmentForm, JustificationForm
from delegations.kinds import AGREEMENT, INBOUND, UNIT_REPORT
from delegations.models import OutboundRequest
from delegations.selectors import attachment_get_for_user
from delegations.services import trips
from delegations.services.attachments import attachment_add
from delegations.services.common import ensure_can_edit, filing_units
from delegations.services.common import may_act_for_trip as ensure_may_act_for_trip

Saved = TypeVar("Saved")

#: Rows per page of a request list (keyset: the next page starts below the last id shown).
LIST_LIMIT = 50


def request_list_view(
    form_class: type[forms.Form],
    list_for_user: Callable[..., QuerySet[Any]],
    template: str,
) -> Callable[[HttpRequest], HttpResponse]:
    """The list page of one kind of request: the rows the user may open through the kind's
    selector, newest first, filtered by the form's status and text, :data:`LIST_LIMIT` a page."""

    @login_required
    def list_page(request: HttpRequest) -> HttpResponse:
        return _list_page(request, form_class(request.GET), list_for_user, template)

    return list_page


def _list_page(
    request: HttpRequest,
    form: forms.Form,
    list_for_user: Callable[..., QuerySet[Any]],
    template: str,
) -> HttpResponse:
    rows: list[Any] = []
    next_url = None
    if form.is_valid():
        data = form.cleaned_data
        # The selector starts below ``before`` and reads each visibility clause with the page's
        # limit (delegations.selectors._newest_visible): one more row tells there is a next page.
        queryset = list_for_user(
            user=request.user,
            status=data["status"] or None,
            q=data["q"] or None,
            before=data["before"] or None,
            limit=LIST_LIMIT + 1,
        )
        filters = {key: data[key] for key in ("status", "q")}
        cursor = ("before", "pk__lt", None)  # already applied by the selector
        with replica_reads():  # a list: from the read replica when there is one
            rows, next_url = keyset_page(
                request, queryset, LIST_LIMIT, filters=filters, cursor=cursor
            )
    return render(
        request,
        template,
        {
            "form": form,
            "rows": rows,
            "next_url": next_url,
            "can_create": bool(filing_units(request.user)),  # type: ignore[arg-type]
        },
    )


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


def units_to_file_for(user: Any) -> list[Any]:
    """The units the user may file a new dossier for; refused (403) when there are none."""
    units = filing_units(user)
    if not units:
        raise DjangoPermissionDenied(_("Bạn không được lập hồ sơ cho đơn vị nào."))
    return units


def chosen_unit(units: list[Any], form: forms.Form) -> Any:
    """The unit picked on the form among ``units`` (None: the service's default)."""
    unit_pk = form.cleaned_data.get("unit")
    return next((u for u in units if u.pk == unit_pk), None)


def edit_refused(request: HttpRequest, target: Any) -> HttpResponse | None:
    """The 409 page (back to the dossier) when the dossier may not be edited now; None when it
    may."""
    try:
        ensure_can_edit(actor=request.user, request=target)  # type: ignore[arg-type]
    except StateConflict as error:
        return conflict_page(
            request, error, back_url=request_url(target), back_label=_("Quay lại hồ sơ")
        )
    return None


def stale_save(
    request: HttpRequest, error: StateConflict, target: Any, form: forms.Form
) -> HttpResponse | dict[str, list[str]]:
    """A save that met someone else's: the 409 page when the dossier is no longer editable;
    otherwise the errors to show with what this user typed, the form now carrying the newer
    version so that a second save wins."""
    target.refresh_from_db()
    if not target.is_editable:
        return conflict_page(
            request, error, back_url=request_url(target), back_label=_("Quay lại hồ sơ")
        )
    post = request.POST.copy()
    post["version"] = str(target.version)
    form.data = post
    return {"__all__": [error.message]}


def save_and_answer(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], Saved],
    *,
    saved: Callable[[Saved], HttpResponse],
    again: Callable[[dict[str, list[str]], int], HttpResponse],
    target: Any = None,
) -> HttpResponse:
    """The answer to saving a draft of either kind: ``save`` (the kind's create or update
    service) runs; its result goes to ``saved``; the form is shown ``again`` with the service's
    errors (400), or after a save that met someone else's (409, see :func:`stale_save`: the
    dossier ``target`` edited)."""
    try:
        result = save()
    except ValidationError as error:
        return again(add_service_errors(error, form), 400)
    except StateConflict as error:
        if target is None:  # a new draft meets no one else's save
            raise
        stale = stale_save(request, error, target, form)
        if isinstance(stale, HttpResponse):
            return stale
        return again(stale, 409)
    return saved(result)


def saved_redirect(request: HttpRequest, kind: str, pk: int, message: str) -> HttpResponse:
    """After a draft is saved: its page ("Lưu và xem hồ sơ") or the form again."""
    flash.success(request, message)
    page = f"{kind}_detail" if "view" in request.POST else f"{kind}_edit"
    return redirect(reverse(page, args=[pk]))


def submit_and_answer(
    request: HttpRequest,
    target: Any,
    *,
    checks: list[dict[str, Any]],
    typed: Sequence[dict[str, Any]] = (),
    submit: Callable[[dict[str, str]], object],
    page: Callable[..., HttpResponse],
    back: str,
) -> HttpResponse:
    """The answer to "Trình hồ sơ" for either kind: ``submit`` (the kind's process verb, given
    the justifications) runs once the form is valid; blocked checks and missing justifications
    are shown inline on ``page`` (422), a lost race on the 409 page, and success goes ``back``
    to the dossier with a message.

    ``checks`` are what the rules ask now; ``typed`` adds the fields of justifications the user
    sent for checks that no longer ask, so that what they typed is not lost.
    """
    form = JustificationForm(request.POST, prefix="submit", checks=[*checks, *typed])
    if not form.is_valid():
        return page(request, target, status=400, bound={"submit": form})
    try:
        submit(form.justifications())
    except StateConflict as error:
        return conflict_page(request, error, back_url=back, back_label=_("Quay lại hồ sơ"))
    except RulesBlocked as error:
        known = {c["rule"] for c in checks}
        missing = [c for c in error.checks if c["severity"] == "justify"]
        form = JustificationForm(
            request.POST,
            prefix="submit",
            checks=[*checks, *(c for c in missing if c["rule"] not in known)],
        )
        form.is_valid()
        for check in missing:
            form.add_error(f"j_{check['rule']}", _("Vui lòng nhập giải trình cho nội dung này."))
        return page(
            request,
            target,
            status=422,
            bound={"submit": form},
            blocked=[c for c in error.checks if c["severity"] != "justify"],
            errors={"__all__": [error.message]},
        )
    except ValidationError as error:
        rest = add_service_errors(error, form)
        return page(request, target, status=400, bound={"submit": form}, errors=rest)
    target.refresh_from_db()
    flash.success(request, _("Đã trình hồ sơ số %(reference)s.") % {"reference": target.reference})
    return redirect(back)


def add_service_errors(
    error: ValidationError, *candidates: forms.Form | None
) -> dict[str, list[str]]:
    """Put each message on the first form that has that field; return those that fit none."""
    rest: dict[str, list[str]] = {}
    for field, messages in messages_by_field(error).items():
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


def may_act_for_trip(
    user: User, request: Any, *, travellers: Collection[int] | None = None
) -> bool:
    """Whether the trip controls (withdraw, cancel, dates, extension) apply to this user
    (``travellers``: the members' user ids, when the page has read them)."""
    try:
        ensure_may_act_for_trip(user, request, travellers=travellers)
    except PermissionDenied:
        return False
    return True


def may_record_passports(user: User, request: OutboundRequest) -> bool:
    """The passport service's own check, to show its form only to those it accepts."""
    return trips.may_record_passports(user, request)


def attachment_add_answer(
    request: HttpRequest, target: Any, *, page: Callable[..., HttpResponse], back: str
) -> HttpResponse:
    """The answer to an upload onto a dossier of either kind: the file is attached and the user
    goes ``back`` with a message; the errors show on ``page`` (400), a dossier that may no longer
    change answers with the 409 page."""
    form = AttachmentForm(request.POST, request.FILES, prefix="attachment")
    if not form.is_valid():
        return page(request, target, status=400, bound={"attachment": form})
    try:
        attachment_add(
            actor=request.user,  # type: ignore[arg-type]
            request=target,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
    except StateConflict as error:
        return conflict_page(request, error, back_url=back, back_label=_("Quay lại hồ sơ"))
    except ValidationError as error:
        rest = add_service_errors(error, form)
        return page(request, target, status=400, bound={"attachment": form}, errors=rest)
    flash.success(request, _("Đã đính kèm tài liệu."))
    return redirect(back)


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
