"""The calendar of approved visits by unit and ISO week, and the blackout calendar of the form.

The blackout calendar is what IN-BLACKOUT and IN-FREEZE read (the rule set in force today),
plus Vietnam's public holidays for the months around the chosen dates: the form shows it next
to the date fields so the applicant picks dates the rules will accept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from config.db.replica import replica_reads
from delegations.models import InboundStatus, InboundVisit
from delegations.selectors import inbound_list_for_user
from org.calendar import _public_holidays
from workflow.models import ruleset_params_in_force
from workflow.rules.dates import add_months
from workflow.rules.params import as_param_set

#: Visits the calendar shows: decided for, and not over.
CALENDAR_STATUSES = (InboundStatus.APPROVED, InboundStatus.VISITING)


@dataclass(frozen=True)
class Pager:
    """The calendar's links: the period before, this one, the one after, and the other view."""

    #: ``week`` or ``month``: the links' ids (``prev-week``, ``next-month``, ``month-view``).
    unit: str
    label: str
    #: (query string, text) of the earlier, current and later period, and of the other view.
    periods: tuple[tuple[str, str], tuple[str, str], tuple[str, str]]
    other: tuple[str, str]

    @property
    def other_unit(self) -> str:
        return "month" if self.unit == "week" else "week"


def _week_link(day: datetime.date) -> str:
    """The week holding ``day``."""
    return f"?week={_week_code(day)}"


def _month_link(day: datetime.date) -> str:
    """The month holding ``day``."""
    return f"?view=month&month={_month_code(day)}"


def _week_pager(monday: datetime.date, today: datetime.date) -> Pager:
    seven = datetime.timedelta(days=7)
    return Pager(
        unit="week",
        label=_("Chọn tuần"),
        periods=(
            (_week_link(monday - seven), _("Tuần trước")),
            (_week_link(today), _("Tuần này")),
            (_week_link(monday + seven), _("Tuần sau")),
        ),
        other=(_month_link(monday), _("Xem theo tháng")),
    )


def _month_pager(first: datetime.date, today: datetime.date) -> Pager:
    return Pager(
        unit="month",
        label=_("Chọn tháng"),
        periods=(
            (_month_link(add_months(first, -1)), _("Tháng trước")),
            (_month_link(today), _("Tháng này")),
            (_month_link(add_months(first, 1)), _("Tháng sau")),
        ),
        other=(_week_link(first), _("Xem theo tuần")),
    )


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


#: Years the calendar opens; outside them (typos such as 20270) it shows the current period.
YEARS = range(1900, 3000)


def parse_week(value: str | None, today: datetime.date) -> datetime.date:
    """The Monday of an ISO week written ``2027-W10``; this week for anything else."""
    if value:
        try:
            year, week = value.upper().split("-W")
            if int(year) in YEARS:
                return datetime.date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            pass
    return today - datetime.timedelta(days=today.weekday())


def _week_code(day: datetime.date) -> str:
    """``2027-W10``: the ISO week holding ``day``."""
    year, week, _day = day.isocalendar()
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


def parse_month(value: str | None) -> datetime.date | None:
    """The first day of a month written ``2027-03``; None for anything else."""
    if value:
        try:
            year, month = value.split("-")
            if int(year) in YEARS:
                return datetime.date(int(year), int(month), 1)
        except ValueError:
            pass
    return None


def parse_day(value: str | None) -> datetime.date | None:
    """A day written ``2027-03-14`` (the date input's value); None for anything else."""
    if value:
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
        if day.year in YEARS:
            return day
    return None


def _month_code(day: datetime.date) -> str:
    """``2027-03``: the month holding ``day``."""
    return f"{day.year}-{day.month:02d}"


def _visits_between(
    request: HttpRequest, first: datetime.date, last: datetime.date
) -> list[InboundVisit]:
    """The visits the user may see that overlap the days shown (from the read replica when
    there is one)."""
    with replica_reads():
        return list(
            inbound_list_for_user(user=request.user)
            .filter(
                status__in=CALENDAR_STATUSES,
                arrival_date__lte=last,
                departure_date__gte=first,
            )
            .select_related("unit")
            .order_by("arrival_date", "pk")
        )


def _present(visits: list[InboundVisit], day: datetime.date) -> list[InboundVisit]:
    return [v for v in visits if v.arrival_date <= day <= v.departure_date]


@login_required
def inbound_calendar(request: HttpRequest) -> HttpResponse:
    """Approved visits the user may see: one ISO week by host unit, or one month as a grid.

    ``?view=month`` shows a month; ``?date=YYYY-MM-DD`` (the jump form) opens the week or month
    holding that day, however far away; ``?week=`` and ``?month=`` are the arrows' links.
    """
    today = timezone.localdate()
    view = "month" if request.GET.get("view") == "month" else "week"
    jump = parse_day(request.GET.get("date"))
    if view == "month":
        return _month_view(request, today, jump)
    monday = (
        jump - datetime.timedelta(days=jump.weekday())
        if jump
        else parse_week(request.GET.get("week"), today)
    )
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    visits = _visits_between(request, days[0], days[-1])
    holidays = set(holidays_around(days[0], days[-1]))
    blackouts = [
        b for b in blackout_ranges(days[0]) if b["start"] <= days[-1] and b["end"] >= days[0]
    ]
    return render(
        request,
        "delegations/inbound_calendar.html",
        {
            "view": view,
            "jump_date": jump or monday,
            "week": _week_code(monday),
            "days": [{"date": d, "holiday": d in holidays, "today": d == today} for d in days],
            "rows": week_rows(visits, days),
            # The same week as a list of days, for a phone where seven columns do not fit.
            "agenda": [{"date": d, "visits": _present(visits, d)} for d in days],
            "blackouts": blackouts,
            "pager": _week_pager(monday, today),
        },
    )


def _month_view(
    request: HttpRequest, today: datetime.date, jump: datetime.date | None
) -> HttpResponse:
    """One month, Monday to Sunday rows, each day listing the visits present."""
    first = (jump.replace(day=1) if jump else None) or parse_month(request.GET.get("month"))
    first = first or today.replace(day=1)
    following = add_months(first, 1)
    grid_start = first - datetime.timedelta(days=first.weekday())
    last = following - datetime.timedelta(days=1)
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    visits = _visits_between(request, grid_start, grid_end)
    holidays = set(holidays_around(grid_start, grid_end))
    cells = []
    day = grid_start
    while day <= grid_end:
        cells.append(
            {
                "date": day,
                "in_month": day.month == first.month,
                "holiday": day in holidays,
                "today": day == today,
                "visits": _present(visits, day),
            }
        )
        day += datetime.timedelta(days=1)
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    in_month = [c for c in cells if c["in_month"]]
    blackouts = [b for b in blackout_ranges(first) if b["start"] < following and b["end"] >= first]
    return render(
        request,
        "delegations/inbound_calendar.html",
        {
            "view": "month",
            "jump_date": jump or first,
            "first": first,
            "weekdays": [c["date"] for c in weeks[0]],
            "weeks": weeks,
            "has_visits": any(c["visits"] for c in in_month),
            "agenda": [c for c in in_month if c["visits"]],
            "blackouts": blackouts,
            "pager": _month_pager(first, today),
        },
    )
