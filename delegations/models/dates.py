"""The dates a dossier may carry: a sane window around today, and a start not yet passed.

One place for the forms, the API serializers and the services, so a page, the API and a script
calling a service refuse the same dates with the same words, and a date like 01/01/9999 never
reaches the rule pack (which would count working days up to it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import ValidationError

#: How far back a dossier's dates may lie (a draft typed late, a visit being corrected).
YEARS_BACK = 1
#: How far ahead a trip or a visit may be planned.
YEARS_AHEAD = 3


def _shift_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (29 February falls back to 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def date_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day a dossier's dates may take: today − 1 year … today + 3 years."""
    today = today or timezone.localdate()
    return _shift_years(today, -YEARS_BACK), _shift_years(today, YEARS_AHEAD)


def dates_outside_window(
    fields: Iterable[tuple[str, datetime.date | None]], today: datetime.date | None = None
) -> dict[str, list[str]]:
    """Field name → error for each date outside :func:`date_window` (empty: all are inside)."""
    first, last = date_window(today)
    errors: dict[str, list[str]] = {}
    for name, day in fields:
        if day is not None and not first <= day <= last:
            errors[name] = [
                _("Ngày %(day)s nằm ngoài khoảng cho phép, từ %(first)s đến %(last)s.")
                % {
                    "day": f"{day:%d/%m/%Y}",
                    "first": f"{first:%d/%m/%Y}",
                    "last": f"{last:%d/%m/%Y}",
                }
            ]
    return errors


def start_in_past_error(start: datetime.date, today: datetime.date | None = None) -> str | None:
    """Why a dossier starting on ``start`` cannot be submitted on ``today``, or None.

    No justification overrides it: approving a trip or a visit that has already begun would
    only record it after the fact.
    """
    today = today or timezone.localdate()
    if start >= today:
        return None
    return _(
        "Ngày bắt đầu (%(start)s) đã qua: không thể trình hồ sơ cho chuyến đi hoặc đoàn đã"
        " bắt đầu. Vui lòng sửa ngày hoặc rút hồ sơ."
    ) % {"start": f"{start:%d/%m/%Y}"}


#: Per request kind, the fields holding the first and the last day.
START_END = {
    "outbound": ("departure_date", "return_date"),
    "inbound": ("arrival_date", "departure_date"),
}


def ensure_submittable_dates(request: Any, today: datetime.date | None = None) -> None:
    """Refuse (HTTP 400) to submit a dossier whose start has passed or whose dates are absurd.

    Called before the rule pack runs, so no justification can override it and no evaluation
    is spent on a date like 01/01/9999.
    """
    start_field, end_field = START_END[request.request_kind]
    start, end = getattr(request, start_field), getattr(request, end_field)
    errors = dates_outside_window(((start_field, start), (end_field, end)), today)
    if errors:
        raise ValidationError(errors)
    past = start_in_past_error(start, today)
    if past:
        raise ValidationError({start_field: [past]})
