"""In a real browser: the inbound calendar reaches a visit six weeks away in one step (the date
jump), and shows a whole month.

Set-up in ``tests/e2e/conftest.py``; screenshots go to ``tests/e2e/screenshots/calendar-*.png``.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from org.models import Person
from tests.e2e.browser import log_in, shot
from tests.flows import approve_all, draft_visit, submit

pytestmark = pytest.mark.e2e


def test_a_visit_six_weeks_away_is_one_date_jump_away_in_week_and_month_view(
    demo_site: str, request: pytest.FixtureRequest
) -> None:
    base = demo_site
    arrival = datetime.date.today() + datetime.timedelta(weeks=6)
    while arrival.weekday() >= 5:
        arrival += datetime.timedelta(days=1)
    people = {p.user.username: p for p in Person.objects.filter(user__isnull=False)}  # type: ignore[union-attr]
    visit = draft_visit(people["vt.thpt1"], arrival=arrival, organisation="Kyoto Gakuen")
    submit(visit, people["vt.thpt1"])
    approve_all(visit, people["ht.thpt1"], people["cv.vp"], people["gd"])
    assert visit.status == "approved", visit.status
    # The browser only now: Playwright's sync API keeps an event loop running in this thread,
    # and the approval's agency e-mails (signed by pyHanko through asyncio.run) could not be
    # signed under it.
    browser: Any = request.getfixturevalue("browser")

    page = log_in(browser, base, "ht.thpt1")
    page.goto(f"{base}/doan-vao/lich/")
    assert visit.reference not in page.locator("main").inner_text()
    # One step: type the day, press Enter (no script needed).
    page.get_by_label("Đến ngày").fill(arrival.isoformat())
    page.get_by_label("Đến ngày").press("Enter")
    page.locator("#visit-calendar").wait_for()
    assert visit.reference in page.locator("#visit-calendar").inner_text()
    shot(page, "calendar-1-week-jump")

    page.goto(f"{base}/doan-vao/lich/")
    page.get_by_label("Đến ngày").fill(arrival.isoformat())
    page.get_by_label("Xem theo").select_option("month")
    page.get_by_role("button", name="Xem", exact=True).click()
    grid = page.locator("#month-calendar")
    grid.wait_for()
    assert visit.reference in grid.inner_text()
    assert f"tháng {arrival:%m/%Y}" in page.locator("h1").inner_text()
    # The arrows keep the month view; the next month no longer shows a three-day visit.
    page.locator("#next-month").click()
    page.locator("#month-calendar").wait_for()
    if (arrival + datetime.timedelta(days=2)).month == arrival.month:
        assert visit.reference not in page.locator("#month-calendar").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/doan-vao/lich/?view=month&date={arrival.isoformat()}")
    assert visit.reference in page.locator("#visit-agenda").inner_text()
    shot(page, "calendar-2-month-phone")
    page.context.close()
