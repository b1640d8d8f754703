"""In a real browser: a clerk files a delegation of three, the head, the office and the
director approve it, and the request page shows the three approvals.

Runs against pytest-django's live server (SQLite in memory, shared with the server thread
through ``transactional_db``) with Debian's Chromium; ``make e2e`` or
``pytest -m e2e tests/e2e``. Screenshots of each stage go to ``tests/e2e/screenshots/``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from org.calendar import add_working_days

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Three teachers of THPT1 (not the principal: she must stay free to approve).
TRAVELLERS = ("Trần Thị Ngọc Hân", "Lê Minh Khoa", "Nguyễn Hoàng Phúc")


@pytest.fixture
def browser(chromium_path: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made here
    # afterwards (fixture teardown) are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def add_member(page: Any, name: str, expected_rows: int) -> None:
    page.fill("#member-q", name)
    button = page.locator("#member-search-results li", has_text=name).get_by_role("button")
    button.wait_for()
    button.click()
    page.locator("#members-rows .row-card").nth(expected_rows - 1).wait_for()
    page.fill("#member-q", "")


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


def test_clerk_files_a_delegation_of_three_and_it_is_approved(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = live_server.url
    departure = add_working_days(datetime.date.today(), 40)

    page = log_in(browser, base, "vt.thpt1")
    page.goto(f"{base}/doan-ra/")
    page.get_by_role("link", name="Lập hồ sơ mới").click()
    page.select_option("#id_kind", "official")
    page.select_option("#id_purpose_category", "study")
    page.fill("#id_purpose", "Khảo sát mô hình giáo dục STEM tại Osaka")
    page.fill("#id_departure_date", departure.isoformat())
    page.fill("#id_return_date", (departure + datetime.timedelta(days=4)).isoformat())
    page.fill("#id_stops-0-country", "JP")
    page.fill("#id_stops-0-days", "3")
    page.fill("#id_stops-0-cities", "Osaka")
    page.fill("#id_inviter_name", "Osaka Board of Education")
    page.fill("#id_inviter_country", "JP")
    page.select_option("#id_funding_source", "unit_revenue")
    page.fill("#id_estimated_cost", "150000000")
    for count, name in enumerate(TRAVELLERS, start=1):
        add_member(page, name, count)
    shot(page, "1-form")
    page.get_by_role("button", name="Lưu và xem hồ sơ").click()
    page.locator("#submit-panel").wait_for()
    for name in TRAVELLERS:
        assert name in page.content()
    shot(page, "2-draft")

    for area in page.locator("#submit-panel textarea").all():
        area.fill("Chuyến đi theo kế hoạch hợp tác năm học đã được phê duyệt.")
    page.locator("#submit-panel button[type=submit]").click()
    page.get_by_text("Đã trình hồ sơ số").wait_for()
    reference = re.search(r"Hồ sơ số (\d{4}/\d{4})", page.content()).group(1)  # type: ignore[union-attr]
    shot(page, "3-submitted")
    request_url = page.url
    page.context.close()

    approve_from_inbox(browser, base, "ht.thpt1", reference, "4-head")
    approve_from_inbox(browser, base, "cv.vp", reference, "5-office")
    approve_from_inbox(browser, base, "gd", reference, "6-director")

    page = log_in(browser, base, "vt.thpt1")
    page.goto(request_url)
    assert page.locator("#request-status").inner_text() == "Đã phê duyệt"
    timeline = page.locator("#timeline").inner_text()
    assert "Thủ trưởng đơn vị cho ý kiến: Đồng ý" in timeline
    assert "Văn phòng Sở thẩm định: Thẩm định đạt, trình lãnh đạo Sở" in timeline
    assert "Lãnh đạo Sở quyết định: Đồng ý" in timeline
    for approver in ("Nguyễn Thị Thanh Hương", "Đặng Thị Mỹ Linh", "Lâm Quang Vinh"):
        assert approver in timeline
    shot(page, "7-approved")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    shot(page, "8-approved-phone")
    page.context.close()
