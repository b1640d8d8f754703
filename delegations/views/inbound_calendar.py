"""The calendar of approved visits by unit and ISO week, and the blackout calendar of the form.

The blackout calendar is what IN-BLACKOUT and IN-FREEZE read (the rule set in force today),
plus Vietnam's public holidays for the months around the chosen dates: the form shows it next
to the date fields so the applicant picks dates the rules will accept.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.models import InboundStatus, InboundVisit
from delegations.selectors import inbound_list_for_user
from org.calendar import _public_holidays
from workflow.models import ruleset_params_in_force
from workflow.rules.dates import add_months
from workflow.rules.params import as_param_set

#: Visits the calendar shows: decided for, and not over.
CALENDAR_STATUSES = (InboundStatus.APPROVED, InboundStatus.VISITING)


def blackout_ranges(today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Exam days, holidays, summer break and freeze windows of the rule set in force."""
    today = today or timezone.localdate()
    _version, params = ruleset_params_in_force(today)
    values = as_param_set(params)
    rows = [(_("Không đón khách"), r) for r in values["IN-BLACKOUT"]["calendar"]] + [
        (_("Tạm dừng đón đoàn vào"), r) for r in values["IN-FREEZE"]["windows"]
    ]
    return [
        {"kind": kind, "label": r.label, "start": r.start, "end": r.end}
        for kind, r in sorted(rows, key=lambda row: row[1].start)
        if r.end >= today
    ]


def holidays_around(*days: datetime.date | None) -> list[datetime.date]:
    """Vietnam's public holidays from the month before the first day to the month after the last."""
    chosen = [d for d in days if d is not None] or [timezone.localdate()]
    start = add_months(min(chosen).replace(day=1), -1)
    end = add_months(max(chosen).replace(day=1), 2)
    found: set[datetime.date] = set()
    for year in range(start.year, end.year + 1):
        found |= _public_holidays(year)
    return sorted(d for d in found if start <= d < end)


def parse_week(value: str | None, today: datetime.date) -> datetime.date:
    """The Monday of an ISO week written ``2027-W10``; this week for anything else."""
    if value:
        try:
            year, week = value.upper().split("-W")
            return datetime.date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            pass
    return today - datetime.timedelta(days=today.weekday())


def _week_code(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_rows(visits: list[InboundVisit], days: list[datetime.date]) -> list[dict[str, Any]]:
    """One row per host unit; each cell lists the visits present that day."""
    units: dict[int, dict[str, Any]] = {}
    for visit in visits:
        row = units.setdefault(visit.unit_id, {"unit": visit.unit, "cells": [[] for _d in days]})
        for i, day in enumerate(days):
            if visit.arrival_date <= day <= visit.departure_date:
                row["cells"][i].append(visit)
    return sorted(units.values(), key=lambda r: r["unit"].name)


@login_required
def inbound_calendar(request: HttpRequest) -> HttpResponse:
    """Approved visits the user may see, by host unit, for one ISO week."""
    today = timezone.localdate()
    monday = parse_week(request.GET.get("week"), today)
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    visits = list(
        inbound_list_for_user(user=request.user)
        .filter(
            status__in=CALENDAR_STATUSES,
            arrival_date__lte=days[-1],
            departure_date__gte=days[0],
        )
        .order_by("arrival_date", "pk")
    )
    holidays = set(holidays_around(days[0], days[-1]))
    blackouts = [
        b for b in blackout_ranges(days[0]) if b["start"] <= days[-1] and b["end"] >= days[0]
    ]
    return render(
        request,
        "delegations/inbound_calendar.html",
        {
            "week": _week_code(monday),
            "days": [{"date": d, "holiday": d in holidays, "today": d == today} for d in days],
            "rows": week_rows(visits, days),
            # The same week as a list of days, for a phone where seven columns do not fit.
            "agenda": [
                {
                    "date": d,
                    "visits": [v for v in visits if v.arrival_date <= d <= v.departure_date],
                }
                for d in days
            ],
            "blackouts": blackouts,
            "prev_week": _week_code(monday - datetime.timedelta(days=7)),
            "next_week": _week_code(monday + datetime.timedelta(days=7)),
            "this_week": _week_code(today - datetime.timedelta(days=today.weekday())),
        },
    )
