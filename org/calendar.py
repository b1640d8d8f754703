"""The working-day calendar: Vietnam's public holidays plus administrators' changes.

``working_days_between`` and ``add_working_days`` are pure functions over a
:class:`WorkingCalendar`; :func:`current_calendar` builds one from the database.
Saturdays and Sundays are days off unless an administrator declares a compensatory working
day; public holidays come from the ``holidays`` package (Tết included) and extra days off
from :class:`org.models.CalendarDay`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

from config.memo import memoized
from org.models import CalendarDay, CalendarDayKind


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days. Immutable: build a new one after an edit."""

    extra_days_off: frozenset[datetime.date] = field(default_factory=frozenset)
    extra_working_days: frozenset[datetime.date] = field(default_factory=frozenset)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off or day.weekday() >= 5:
            return False
        return day not in _public_holidays(day.year)


def working_days_between(
    start: datetime.date, end: datetime.date, calendar: WorkingCalendar | None = None
) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start).

    A deadline "N working days before departure" holds when
    ``working_days_between(submitted, departure) >= N``.
    """
    calendar = calendar or WorkingCalendar()
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    day = start + datetime.timedelta(days=1)
    while day <= end:
        if calendar.is_working_day(day):
            count += 1
        day += datetime.timedelta(days=1)
    return sign * count


def add_working_days(
    start: datetime.date, days: int, calendar: WorkingCalendar | None = None
) -> datetime.date:
    """The date ``days`` working days after ``start`` (before it when negative).

    Adding zero returns ``start`` itself if it is a working day, else the next working day.
    """
    calendar = calendar or WorkingCalendar()
    step = datetime.timedelta(days=1 if days >= 0 else -1)
    day = start
    if days == 0:
        while not calendar.is_working_day(day):
            day += step
        return day
    remaining = abs(days)
    while remaining:
        day += step
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def current_calendar() -> WorkingCalendar:
    """The calendar with every administrator's change (one query, once per unit of work)."""
    return memoized("current_calendar", _calendar_from_db)


def _calendar_from_db() -> WorkingCalendar:
    rows = CalendarDay.objects.values_list("date", "kind")
    return WorkingCalendar(
        extra_days_off=frozenset(d for d, k in rows if k == CalendarDayKind.DAY_OFF),
        extra_working_days=frozenset(d for d, k in rows if k == CalendarDayKind.WORKING_DAY),
    )
