"""What the browser tests do in a page: log in, take a screenshot, fill the first section of a
dossier's form, approve from the inbox.

The fixtures (Chromium, the live server on the demo data) are in ``tests/e2e/conftest.py``.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from django.conf import settings

#: Screenshots for a person to look at; each test writes its own names (gitignored).
SCREENSHOTS = Path(__file__).parent / "screenshots"


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


#: The two screens the layout is checked on: a laptop and a phone.
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def log_in(browser: Any, base: str, username: str, viewport: dict[str, int] | None = None) -> Any:
    """A new page (its own context, Vietnamese, downloads allowed) logged in as ``username``."""
    context = browser.new_context(
        locale="vi-VN",
        viewport=viewport or {"width": 1280, "height": 900},
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def fill_visit(page: Any, arrival: datetime.date) -> None:
    """The inbound form's first section: Osaka's board of education comes to exchange on STEM
    teaching, from ``arrival`` for three days."""
    page.fill("#id_organisation", "Osaka Board of Education")
    page.select_option("#id_country", label="Nhật Bản")
    page.select_option("#id_purpose_category", "visit")
    page.fill("#id_purpose", "Trao đổi kinh nghiệm dạy học STEM")
    page.fill("#id_arrival_date", arrival.isoformat())
    page.fill("#id_departure_date", (arrival + datetime.timedelta(days=2)).isoformat())


def fill_trip(page: Any, departure: datetime.date, purpose: str, *, days: int) -> None:
    """The outbound form's first section: an official study trip for ``purpose``, leaving on
    ``departure`` and back ``days`` later."""
    page.select_option("#id_kind", "official")
    page.select_option("#id_purpose_category", "study")
    page.fill("#id_purpose", purpose)
    page.fill("#id_departure_date", departure.isoformat())
    page.fill("#id_return_date", (departure + datetime.timedelta(days=days)).isoformat())


def approve_from_inbox(browser: Any, base: str, username: str, reference: str, stage: str) -> None:
    page = log_in(browser, base, username)
    page.goto(f"{base}/viec/")
    page.get_by_role("link", name=reference).first.click()
    page.locator("#decision-form").wait_for()
    shot(page, f"{stage}-task")
    page.check("#decision-form input[name=action][value=approve]")
    page.click("#decision-form button[type=submit]")
    page.wait_for_url(f"{base}/viec/")
    assert "Đã ghi nhận" in page.content()
    page.context.close()


def submit_and_approve(
    browser: Any, base: str, page: Any, justification: str, prefix: str
) -> tuple[str, str]:
    """Submit the dossier open in ``page`` (every justification asked for gets ``justification``),
    then the principal, the office and the Director approve it from their inboxes; the dossier's
    URL and reference. Screenshots are named ``{prefix}3-submitted`` to ``{prefix}6-director``."""
    for area in page.locator("#submit-panel textarea").all():
        area.fill(justification)
    page.locator("#submit-panel button[type=submit]").click()
    page.get_by_text("Đã trình hồ sơ số").wait_for()
    found = re.search(r"Hồ sơ số ([A-Z0-9-]+/Đ[RV]/\d{4}/\d{4})", page.content())
    assert found is not None
    shot(page, f"{prefix}3-submitted")
    url, reference = page.url, found.group(1)
    page.context.close()
    for username, stage in (("ht.thpt1", "4-head"), ("cv.vp", "5-office"), ("gd", "6-director")):
        approve_from_inbox(browser, base, username, reference, f"{prefix}{stage}")
    return url, reference
