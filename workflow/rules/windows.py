"""Freeze windows: the check OUT-FREEZE and IN-FREEZE share, over the departure or the arrival."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from workflow.rules.dates import DateRange, first_containing
from workflow.rules.registry import Outcome, failed, passed


def freeze_outcome(
    windows: Iterable[DateRange], day: datetime.date, *, day_vi: str, day_en: str, halted_vi: str
) -> Outcome:
    """Failed when ``day`` falls inside an administrator-declared freeze window (last day
    included). ``day_vi``/``day_en`` name the day ("Ngày xuất cảnh", "Departure on");
    ``halted_vi`` says what is halted ("cử đoàn ra")."""
    window = first_containing(windows, day)
    when = f"{day:%d/%m/%Y}"
    if window is None:
        return passed(
            f"{day_vi} {when} không nằm trong thời gian tạm dừng.",
            f"{day_en} {when} is outside every freeze window.",
        )
    return failed(
        f"{day_vi} {when} nằm trong thời gian tạm dừng {halted_vi}: {window.display()}.",
        f"{day_en} {when} falls inside a freeze window: {window.display()}.",
    )
