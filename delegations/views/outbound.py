"""Pages of outbound requests: "my requests", the request form (create, edit).

The request page and its actions are in :mod:`delegations.views.outbound_detail` and
:mod:`delegations.views.outbound_actions`; the form's HTMX pieces (member search, rows, rule
preview) in :mod:`delegations.views.outbound_htmx`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from approvals import permissions
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
from delegations.services.outbound import OutboundInput, outbound_create, outbound_update
from delegations.views.common import (
    chosen_unit,
    edit_refused,
    request_list_view,
    save_and_answer,
    saved_redirect,
    units_to_file_for,
)
from delegations.views.outbound_htmx import addable_people
from org.models import Person
from org.selectors import person_list_for_user

outbound_list = request_list_view(
    OutboundFilterForm, outbound_list_for_user, "delegations/outbound_list.html"
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


def _form_page(
    request: HttpRequest,
    forms: tuple[OutboundForm, Any, Any],
    save: Callable[[User, OutboundInput], OutboundRequest],
    *,
    target: OutboundRequest | None = None,
) -> HttpResponse:
    """The form of a new or a stored request: shown on GET; on POST, once the form and its two
    formsets are valid, ``save`` gets the user and what they say (the answer:
    :func:`save_and_answer`)."""
    if request.method != "POST":
        return _render_form(request, forms, target=target)
    form, members, stops = forms
    valid = [form.is_valid(), members.is_valid(), stops.is_valid()]
    if not all(valid):
        return _render_form(request, forms, target=target, status=400)
    return save_and_answer(
        request,
        form,
        lambda: save(request.user, outbound_input(form, members, stops)),  # type: ignore[arg-type]
        saved=lambda saved: saved_redirect(request, "outbound", saved.pk, _("Đã lưu bản nháp.")),
        again=lambda errors, status: _render_form(
            request, forms, target=target, errors=errors, status=status
        ),
        target=target,
    )


@login_required
def outbound_create_view(request: HttpRequest) -> HttpResponse:
    """A new request for a whole delegation; saving keeps it as a draft."""
    units = units_to_file_for(request.user)
    own = Person.objects.filter(user=request.user.pk).first()
    initial: tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]] = ({}, [], [])
    clerk = permissions.granted_units(request.user, permissions.FILE_FOR_UNIT).exists()
    if own is not None and not clerk:
        # An applicant usually files for themself: start with them as head of delegation.
        initial = ({}, [{"person": own.pk, "role": "head"}], [])
    forms = _forms(request, units=units, initial=initial)
    return _form_page(
        request,
        forms,
        lambda actor, data: outbound_create(
            actor=actor, data=data, unit=chosen_unit(units, forms[0])
        ),
    )


@login_required
def outbound_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or a returned request; other states answer with the 409 page."""
    target = outbound_get_for_user(user=request.user, pk=pk)
    if (refused := edit_refused(request, target)) is not None:
        return refused
    saved_members = list(target.members.all())  # read once: the rows and their confirmations
    forms = _forms(request, initial=initial_from_request(target, saved_members))
    confirmations = {m.person_id: m.confirmation for m in saved_members}
    for row in forms[1].forms:
        row.confirmation = confirmations.get(row.person_id())
    return _form_page(
        request,
        forms,
        lambda actor, data: outbound_update(
            actor=actor, request=target, data=data, version=forms[0].cleaned_data.get("version")
        ),
        target=target,
    )
