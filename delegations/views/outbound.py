"""Pages of outbound requests: "my requests", the request form (create, edit).

The request page and its actions are in :mod:`delegations.views.outbound_detail` and
:mod:`delegations.views.outbound_actions`; the form's HTMX pieces (member search, rows, rule
preview) in :mod:`delegations.views.outbound_htmx`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from approvals import permissions
from config.errors import StateConflict, ValidationError
from delegations.forms import (
    MemberFormSet,
    OutboundFilterForm,
    OutboundForm,
    StopFormSet,
    initial_from_request,
    outbound_input,
    prepare_members,
)
from delegations.models import OutboundRequest
from delegations.selectors import outbound_get_for_user, outbound_list_for_user
from delegations.services.common import ensure_can_edit, filing_units
from delegations.services.outbound import outbound_create, outbound_update
from delegations.views.common import add_service_errors, conflict_page
from delegations.views.outbound_htmx import addable_people
from org.models import Person
from org.selectors import person_list_for_user

#: Rows per page of "my requests" (keyset: the next page starts below the last id shown).
LIST_LIMIT = 50


@login_required
def outbound_list(request: HttpRequest) -> HttpResponse:
    """The requests the user may open, newest first, filtered by status and text."""
    form = OutboundFilterForm(request.GET)
    rows: list[OutboundRequest] = []
    next_url = None
    if form.is_valid():
        data = form.cleaned_data
        queryset = outbound_list_for_user(
            user=request.user,
            status=data["status"] or None,
            q=data["q"] or None,
            before=data["before"] or None,
            limit=LIST_LIMIT + 1,
        )
        rows = list(queryset[: LIST_LIMIT + 1])
        if len(rows) > LIST_LIMIT:
            rows = rows[:LIST_LIMIT]
            params = {key: data[key] for key in ("status", "q") if data[key]}
            params["before"] = rows[-1].pk
            next_url = f"{request.path}?{urlencode(params)}"
    return render(
        request,
        "delegations/outbound_list.html",
        {
            "form": form,
            "rows": rows,
            "next_url": next_url,
            "can_create": bool(filing_units(request.user)),  # type: ignore[arg-type]
        },
    )


def _people(user: Any, ids: list[int]) -> list[Person]:
    """The rows' people the user may see: the directory in scope, and colleagues they may name."""
    if not ids:
        return []
    found = {
        p.pk: p
        for query in (person_list_for_user(user=user), addable_people(user))
        for p in query.filter(pk__in=ids).prefetch_related("passports")
    }
    return list(found.values())


def _forms(
    request: HttpRequest,
    *,
    units: list[Any] | None = None,
    initial: tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]] | None = None,
) -> tuple[OutboundForm, Any, Any]:
    """The dossier form and its two formsets, bound on POST, prepared for display."""
    data = request.POST if request.method == "POST" else None
    scalar, members_initial, stops_initial = initial or ({}, [], [])
    form = OutboundForm(data, initial=scalar, units=units)
    members = MemberFormSet(data, initial=members_initial, prefix="members")
    stops = StopFormSet(data, initial=stops_initial, prefix="stops")
    ids = [pid for f in members.forms if (pid := f.person_id())]
    prepare_members(members.forms, _people(request.user, ids))
    return form, members, stops


def _render_form(
    request: HttpRequest,
    forms: tuple[OutboundForm, Any, Any],
    *,
    target: OutboundRequest | None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    form, members, stops = forms
    return render(
        request,
        "delegations/outbound_form.html",
        {
            "form": form,
            "members": members,
            "stops": stops,
            "target": target,
            "errors": errors or {},
            "files_for_others": permissions.granted_units(
                request.user, permissions.FILE_FOR_UNIT
            ).exists(),
        },
        status=status,
    )


def _after_save(request: HttpRequest, saved: OutboundRequest) -> HttpResponse:
    messages.success(request, _("Đã lưu bản nháp."))
    if "view" in request.POST:
        return redirect(reverse("outbound_detail", args=[saved.pk]))
    return redirect(reverse("outbound_edit", args=[saved.pk]))


@login_required
def outbound_create_view(request: HttpRequest) -> HttpResponse:
    """A new request for a whole delegation; saving keeps it as a draft."""
    units = filing_units(request.user)  # type: ignore[arg-type]
    if not units:
        raise PermissionDenied(_("Bạn không được lập hồ sơ cho đơn vị nào."))
    own = Person.objects.filter(user=request.user.pk).first()
    initial: tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]] = ({}, [], [])
    clerk = permissions.granted_units(request.user, permissions.FILE_FOR_UNIT).exists()
    if own is not None and not clerk:
        # An applicant usually files for themself: start with them as head of delegation.
        initial = ({}, [{"person": own.pk, "role": "head"}], [])
    forms = _forms(request, units=units, initial=initial)
    if request.method != "POST":
        return _render_form(request, forms, target=None)
    form, members, stops = forms
    valid = [form.is_valid(), members.is_valid(), stops.is_valid()]
    errors: dict[str, list[str]] = {}
    if all(valid):
        unit_pk = form.cleaned_data.get("unit")
        unit = next((u for u in units if u.pk == unit_pk), None)
        try:
            created = outbound_create(
                actor=request.user,  # type: ignore[arg-type]
                data=outbound_input(form, members, stops),
                unit=unit,
            )
        except ValidationError as error:
            errors = add_service_errors(error, form)
        else:
            return _after_save(request, created)
    return _render_form(request, forms, target=None, errors=errors, status=400)


@login_required
def outbound_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or a returned request; other states answer with the 409 page."""
    target = outbound_get_for_user(user=request.user, pk=pk)
    back = reverse("outbound_detail", args=[target.pk])
    try:
        ensure_can_edit(actor=request.user, request=target)  # type: ignore[arg-type]
    except StateConflict as error:
        return conflict_page(request, error, back_url=back, back_label=_("Quay lại hồ sơ"))
    forms = _forms(request, initial=initial_from_request(target))
    confirmations = dict(target.members.values_list("person_id", "confirmation"))
    for row in forms[1].forms:
        row.confirmation = confirmations.get(row.person_id())
    if request.method != "POST":
        return _render_form(request, forms, target=target)
    form, members, stops = forms
    valid = [form.is_valid(), members.is_valid(), stops.is_valid()]
    errors: dict[str, list[str]] = {}
    status = 400
    if all(valid):
        try:
            saved = outbound_update(
                actor=request.user,  # type: ignore[arg-type]
                request=target,
                data=outbound_input(form, members, stops),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            errors = add_service_errors(error, form)
        except StateConflict as error:
            target.refresh_from_db()
            if not target.is_editable:
                return conflict_page(request, error, back_url=back, back_label=_("Quay lại hồ sơ"))
            # Someone saved meanwhile: keep what this user typed, and let a second save win.
            errors = {"__all__": [error.message]}
            data = request.POST.copy()
            data["version"] = str(target.version)
            form.data = data
            status = 409
        else:
            return _after_save(request, saved)
    return _render_form(request, forms, target=target, errors=errors, status=status)
