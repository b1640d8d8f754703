"""Date helpers of the rule pack: calendar months and inclusive date ranges."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later (earlier when negative).

    A day that does not exist in the target month falls back to its last day, as people count:
    one month after 31 January is 28 (or 29) February.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class DateRange:
    """An administrator-declared period, both ends inclusive (a freeze window, exam weeks)."""

    start: datetime.date
    end: datetime.date
    label: str = ""

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: datetime.date, end: datetime.date) -> bool:
        return self.start <= end and start <= self.end

    def display(self) -> str:
        period = f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
        return f"{self.label} ({period})" if self.label else period


def first_containing(ranges: Iterable[DateRange], day: datetime.date) -> DateRange | None:
    return next((r for r in ranges if r.contains(day)), None)


def first_overlapping(
    ranges: Iterable[DateRange], start: datetime.date, end: datetime.date
) -> DateRange | None:
    return next((r for r in ranges if r.overlaps(start, end)), None)
