"""Pages of inbound visits (đoàn vào): the list and the visit form (create, edit).

The visitor list comes from the partner's sheet uploaded with the form (a sheet with any bad
row saves nothing and the page shows every problem by row and column, with what was typed kept)
or is typed in the visitor rows of the form, read by the same reader; "Thêm dòng" adds a row
without saving. The empty sheet to fill in is ``inbound_visitor_template``.
The visit page and its actions are in :mod:`delegations.views.inbound_detail`, the calendar in
:mod:`delegations.views.inbound_calendar`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from config.errors import ValidationError
from delegations.forms_inbound import (
    VISITOR_PREFIX,
    InboundFilterForm,
    InboundForm,
    VisitorFormSet,
    initial_from_visit,
    visitor_initial,
)
from delegations.models import InboundVisit
from delegations.selectors import (
    attachment_list_for_request,
    inbound_get_for_user,
    inbound_list_for_user,
)
from delegations.services.inbound import (
    VisitorInput,
    inbound_create,
    inbound_update,
    visitor_inputs,
)
from delegations.services.visitor_import import (
    MAX_ROWS,
    VisitorSheetError,
    parse_visitor_sheet,
    visitor_template_xlsx,
)
from delegations.views.common import (
    chosen_unit,
    edit_refused,
    request_list_view,
    save_and_answer,
    saved_redirect,
    units_to_file_for,
)
from delegations.views.inbound_calendar import blackout_ranges, holidays_around

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ADD_ROW = "add_visitor"


inbound_list = request_list_view(
    InboundFilterForm, inbound_list_for_user, "delegations/inbound_list.html"
)


@login_required
def inbound_visitor_template(request: HttpRequest) -> HttpResponse:
    """The empty visitor sheet (XLSX) with exactly the columns the import reads."""
    response = HttpResponse(visitor_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-khach.xlsx"'
    return response


def _visitor_formset(request: HttpRequest, target: InboundVisit | None) -> Any:
    """The typed visitor rows: bound to the POST when it carries them, else the stored roster.

    "Thêm dòng" posts the form back with one more row (no script needed).
    """
    initial = visitor_initial(visitor_inputs(target)) if target else []
    total = f"{VISITOR_PREFIX}-TOTAL_FORMS"
    if request.method != "POST" or total not in request.POST:
        return VisitorFormSet(prefix=VISITOR_PREFIX, initial=initial)
    data: QueryDict = request.POST
    if ADD_ROW in request.POST:
        data = request.POST.copy()
        with contextlib.suppress(ValueError):
            data[total] = str(min(int(data.get(total, "")), MAX_ROWS - 1) + 1)
    return VisitorFormSet(data, prefix=VISITOR_PREFIX, initial=initial)


def _typed_visitors(formset: Any) -> list[VisitorInput] | None:
    """The typed rows once valid; None when the form carried no rows (an older client)."""
    if not formset.is_bound:
        return None
    return formset.visitors() if formset.is_valid() else None


def _render_form(
    request: HttpRequest,
    form: InboundForm,
    *,
    target: InboundVisit | None,
    formset: Any = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    dates = [form[name].value() for name in ("arrival_date", "departure_date")]
    chosen = []
    for value in dates:
        field = form.fields["arrival_date"]
        try:
            chosen.append(field.to_python(value) if value else None)
        except ValidationError:  # a typo in a date only hides the holidays around it
            chosen.append(None)
    visitors = list(target.visitors.order_by("order", "pk")) if target else []
    return render(
        request,
        "delegations/inbound_form.html",
        {
            "form": form,
            "target": target,
            "visitors": visitors,
            "visitor_formset": formset or VisitorFormSet(prefix=VISITOR_PREFIX),
            # Listed only: uploading happens on the visit page, so nothing typed here is lost.
            "attachments": list(attachment_list_for_request(target)) if target else [],
            "errors": errors or {},
            "blackouts": blackout_ranges(),
            "holidays": holidays_around(*chosen),
        },
        status=status,
    )


def _sheet_visitors(form: InboundForm) -> list[VisitorInput] | None:
    """The uploaded sheet's visitors; None without a sheet. Row errors go on the form."""
    upload = form.cleaned_data.get("visitor_file")
    if not upload:
        return None
    try:
        return parse_visitor_sheet(upload.read(), upload.name or "")
    except VisitorSheetError as error:
        for message in error.messages:
            form.add_error("visitor_file", message)
        raise


def _after_save(request: HttpRequest, saved: InboundVisit, imported: int | None) -> HttpResponse:
    if imported is not None:
        message = _("Đã lưu bản nháp với %(count)s khách từ tệp.") % {"count": imported}
    else:
        message = _("Đã lưu bản nháp.")
    return saved_redirect(request, "inbound", saved.pk, message)


def _form_page(
    request: HttpRequest,
    form: InboundForm,
    save: Callable[[User, list[VisitorInput]], InboundVisit],
    *,
    target: InboundVisit | None = None,
) -> HttpResponse:
    """The form of a new or a stored visit: shown on GET and on "Thêm dòng"; on saving,
    ``save`` gets the user and the visitors of the uploaded sheet, else the typed rows, else
    those stored (the answer: :func:`save_and_answer`)."""
    formset = _visitor_formset(request, target)
    if request.method != "POST" or ADD_ROW in request.POST:
        return _render_form(request, form, target=target, formset=formset)
    form_ok = form.is_valid()
    typed = _typed_visitors(formset)
    # A sheet replaces the list whatever the typed rows say.
    if form_ok and (typed is not None or not formset.is_bound or "visitor_file" in request.FILES):
        with contextlib.suppress(VisitorSheetError):
            visitors = _sheet_visitors(form)
            if visitors is not None:
                roster = visitors
            elif typed is not None:
                roster = typed
            else:
                roster = visitor_inputs(target) if target else []
            imported = len(visitors) if visitors is not None else None
            return save_and_answer(
                request,
                form,
                lambda: save(request.user, roster),  # type: ignore[arg-type]
                saved=lambda saved: _after_save(request, saved, imported),
                again=lambda errors, status: _render_form(
                    request, form, target=target, formset=formset, errors=errors, status=status
                ),
                target=target,
            )
    return _render_form(request, form, target=target, formset=formset, status=400)


@login_required
def inbound_create_view(request: HttpRequest) -> HttpResponse:
    """A new visit; saving keeps it as a draft."""
    units = units_to_file_for(request.user)
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = InboundForm(*data, units=units, initial={"country": ""})
    return _form_page(
        request,
        form,
        lambda actor, roster: inbound_create(
            actor=actor, data=form.to_input(roster), unit=chosen_unit(units, form)
        ),
    )


@login_required
def inbound_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or returned visit; a new sheet replaces the visitor list."""
    target = inbound_get_for_user(user=request.user, pk=pk)
    if (refused := edit_refused(request, target)) is not None:
        return refused
    data: tuple[Any, Any] = (
        (request.POST, request.FILES) if request.method == "POST" else (None, None)
    )
    form = InboundForm(*data, initial=initial_from_visit(target))
    return _form_page(
        request,
        form,
        lambda actor, roster: inbound_update(
            actor=actor,
            visit=target,
            data=form.to_input(roster),
            version=form.cleaned_data.get("version"),
        ),
        target=target,
    )
