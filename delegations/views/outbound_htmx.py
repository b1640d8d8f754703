"""HTMX pieces of the request form: member search, new rows, and the rule preview."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from approvals import permissions
from config.paging import matching
from config.values import plain_int
from delegations.forms import MemberForm, StopForm, add_delete_field, prepare_members
from delegations.presenters import preview_dict
from delegations.selectors import outbound_get_for_user
from delegations.services.common import filing_units
from org.models import Person
from org.selectors import PERSON_SEARCH

#: Most people one search shows: the search narrows, it does not browse.
SEARCH_LIMIT = 20
MAX_MEMBERS = 200
MAX_STOPS = 50
_MEMBER_PERSON = re.compile(r"^members-(\d+)-person$")


def addable_people(user: Any) -> QuerySet[Person]:
    """People the user may put in a delegation: self, and the staff of their filing units.

    Everyone may name colleagues of their own unit (who then confirm); a head or clerk also the
    staff of the units they file for (:func:`delegations.services.common.filing_units`). Only
    those units' people are searched, never the wider directory. The create and update services
    check the same again; this only keeps the search honest.
    """
    units = [u.pk for u in filing_units(user)]
    return (
        Person.objects.filter(Q(unit__in=units) | Q(user=user.pk))
        .filter(is_active=True)
        .select_related("unit", "user")
    )


def _index(request: HttpRequest, prefix: str, limit: int) -> int | None:
    try:
        index = int(request.GET.get(f"{prefix}-TOTAL_FORMS", ""))
    except ValueError:
        return None
    return index if 0 <= index < limit else None


def _row(
    request: HttpRequest, template: str, form: Form, index: int, delete_label: str
) -> HttpResponse:
    """A new formset row at ``index`` with its delete box; the formset then counts index + 1."""
    add_delete_field(form, delete_label)
    return render(request, template, {"form": form, "total": index + 1, "message": ""})


def _no_row(request: HttpRequest, template: str, message: str) -> HttpResponse:
    """Why no row was added, in the row's place."""
    return render(request, template, {"form": None, "message": message})


@login_required
def outbound_member_search(request: HttpRequest) -> HttpResponse:
    """Up to 20 people matching the query, each with a button that adds a member row."""
    query = (request.GET.get("member_q") or "").replace("\x00", "").strip()[:100]
    people: list[Person] = []
    if query:
        people = list(
            addable_people(request.user)
            .filter(matching(query, PERSON_SEARCH))
            .order_by("full_name", "pk")[:SEARCH_LIMIT]
        )
    clerk_of = set(
        permissions.granted_units(request.user, permissions.FILE_FOR_UNIT).values_list(
            "pk", flat=True
        )
    )
    # Who will be asked to confirm (delegations.services.members.confirmation_needed).
    asked = {p.pk for p in people if p.user_id != request.user.pk and p.unit_id not in clerk_of}
    return render(
        request,
        "delegations/partials/member_search_results.html",
        {"people": people, "query": query, "limit": SEARCH_LIMIT, "asked": asked},
    )


@login_required
def outbound_member_row(request: HttpRequest) -> HttpResponse:
    """A new member row for the person chosen in the search, at the formset's next index."""
    index = _index(request, "members", MAX_MEMBERS)
    try:
        person_id = int(request.GET.get("person", ""))
    except ValueError:
        person_id = 0
    values = [request.GET.get(key, "") for key in request.GET if _MEMBER_PERSON.match(key)]
    present = [n for n in map(plain_int, values) if n is not None]
    people = {p.pk: p for p in addable_people(request.user).filter(pk__in=[person_id, *present])
              .prefetch_related("passports")}  # fmt: skip
    message = ""
    if index is None:
        message = _("Không thêm được: đoàn đã đủ số người tối đa hoặc biểu mẫu bị lỗi.")
    elif person_id not in people:
        message = _("Không tìm thấy người này trong danh sách bạn được lập hồ sơ.")
    elif person_id in present:
        message = _("%(name)s đã có tên trong đoàn.") % {"name": people[person_id].full_name}
    if message:
        return _no_row(request, "delegations/partials/member_row.html", message)
    assert index is not None
    form = MemberForm(
        prefix=f"members-{index}",
        initial={"person": person_id, "role": "member" if present else "head"},
    )
    prepare_members([form], people.values(), member_ids=[*present, person_id])
    return _row(request, "delegations/partials/member_row.html", form, index, _("Bỏ khỏi đoàn"))


@login_required
def outbound_stop_row(request: HttpRequest) -> HttpResponse:
    """A new, empty itinerary row at the formset's next index."""
    index = _index(request, "stops", MAX_STOPS)
    if index is None:
        return _no_row(
            request, "delegations/partials/stop_row.html", _("Không thêm được dòng lịch trình.")
        )
    form = StopForm(prefix=f"stops-{index}")
    return _row(request, "delegations/partials/stop_row.html", form, index, _("Bỏ dòng này"))


@login_required
def outbound_preview_partial(request: HttpRequest, pk: int) -> HttpResponse:
    """The rule pack's answer for a saved request: route, approvers, checks, expected date."""
    target = outbound_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "delegations/partials/preview.html",
        {"preview": preview_dict(target), "request_obj": target},
    )
