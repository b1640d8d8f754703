import datetime as dt

import pytest

from org.calendar import WorkingCalendar, add_working_days, current_calendar, working_days_between
from org.models import CalendarDay, CalendarDayKind

D = dt.date


def test_weekends_are_not_working_days() -> None:
    # Friday 2026-11-20 → Monday 2026-11-23 is one working day.
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1


def test_tet_2027_holidays_are_skipped() -> None:
    # Tết 2027: 4–10 February are public holidays (Thu 4 .. Wed 10).
    assert add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)
    assert working_days_between(D(2027, 2, 3), D(2027, 2, 11)) == 1


def test_add_working_days_backwards_across_tet() -> None:
    assert add_working_days(D(2027, 2, 11), -1) == D(2027, 2, 3)


def test_between_is_negative_when_end_precedes_start() -> None:
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 20)) == -1


def test_add_zero_moves_a_holiday_to_the_next_working_day() -> None:
    assert add_working_days(D(2027, 9, 2), 0) == D(2027, 9, 6)
    assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)


def test_administrator_day_off_and_compensatory_saturday() -> None:
    calendar = WorkingCalendar(
        extra_days_off=frozenset({D(2026, 11, 24)}),
        extra_working_days=frozenset({D(2026, 11, 28)}),
    )
    # Mon 23 → Mon 30: Tue 24 off, Sat 28 worked → 24..30 gives 25,26,27,28,30 = 5.
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 30), calendar) == 5
    assert add_working_days(D(2026, 11, 23), 1, calendar) == D(2026, 11, 25)


@pytest.mark.django_db
def test_current_calendar_reads_administrator_changes() -> None:
    CalendarDay.objects.create(date=D(2026, 12, 24), kind=CalendarDayKind.DAY_OFF)
    CalendarDay.objects.create(date=D(2026, 12, 26), kind=CalendarDayKind.WORKING_DAY)
    calendar = current_calendar()
    assert not calendar.is_working_day(D(2026, 12, 24))
    assert calendar.is_working_day(D(2026, 12, 26))
