"""Directory pages: units and people the signed-in user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from approvals.record.access import is_administrator
from config.db.replica import replica_view
from config.paging import keyset_page
from delegations.facts import unheld_steps
from org import selectors
from org.forms import DirectorySearchForm
from org.models import Person, Unit

#: Rows per page of the unit list, and the most people shown on one unit's page.
UNITS_PER_PAGE = 100
PEOPLE_PER_UNIT = 200


@login_required
@replica_view
def directory(request: HttpRequest) -> HttpResponse:
    """Units the user may see, searchable, in pages keyed by unit code."""
    form = DirectorySearchForm(request.GET)
    units: list[Unit] = []
    next_url = None
    # An invalid search shows the form's errors and lists nothing.
    if form.is_valid():
        data = form.cleaned_data
        queryset = selectors.unit_list_for_user(
            user=request.user, kind=data["kind"] or None, q=data["q"] or None
        )
        filters = {key: data[key] for key in ("q", "kind")}
        cursor = ("after", "code__gt", data["after"])
        units, next_url = keyset_page(
            request, queryset, UNITS_PER_PAGE, filters=filters, cursor=cursor
        )
    return render(
        request, "org/unit_list.html", {"form": form, "units": units, "next_url": next_url}
    )


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One unit and the people in it whom the user may see; 404 when the unit is invisible."""
    unit = selectors.unit_get_for_user(user=request.user, code=code)
    form = DirectorySearchForm(request.GET)
    people: list[Person] = []
    if form.is_valid():
        queryset = selectors.person_list_for_user(
            user=request.user, unit_code=unit.code, q=form.cleaned_data["q"] or None
        )
        people = list(queryset[: PEOPLE_PER_UNIT + 1])
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "form": form,
            "people": people[:PEOPLE_PER_UNIT],
            "truncated": len(people) > PEOPLE_PER_UNIT,
            "limit": PEOPLE_PER_UNIT,
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's directory card; 404 when the person is invisible."""
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    return render(request, "org/person_detail.html", {"person": person})


@login_required
def steps_without_holders(request: HttpRequest) -> HttpResponse:
    """Administrators: every unit × step of the authority matrix that nobody holds today.

    A request of such a unit would be refused at submission on that route; the page lets the
    administrators assign the role first. Anyone else gets a 404, as for the system log.
    """
    if not is_administrator(request.user):
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "org/steps_without_holders.html",
        {"rows": unheld_steps(today), "today": today},
    )
