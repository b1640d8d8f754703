"""In a real browser at 1366×900: a teacher names a colleague of her school, the colleague
confirms from her home page, and only then is the request submitted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from org.calendar import add_working_days
from tests.e2e.browser import DESKTOP, fill_trip, log_in, shot

pytestmark = pytest.mark.e2e

TEACHER, COLLEAGUE = "Trần Thị Ngọc Hân", "Lê Minh Khoa"


def test_teacher_names_a_colleague_who_confirms(demo_site: str, browser: Any) -> None:
    base = demo_site
    departure = add_working_days(datetime.date.today(), 40)

    page = log_in(browser, base, "gv.thpt1", DESKTOP)
    page.goto(f"{base}/doan-ra/moi/")
    assert "Bạn có thể ghi tên đồng nghiệp cùng đơn vị" in page.locator("#member-rule").inner_text()
    fill_trip(page, departure, "Trao đổi chuyên môn dạy tiếng Anh tại Singapore", days=3)
    page.select_option("#id_stops-0-country", "SG")
    page.fill("#id_stops-0-days", "3")
    page.select_option("#id_funding_source", "unit_revenue")
    page.fill("#member-q", COLLEAGUE)
    button = page.locator("#member-search-results li", has_text=COLLEAGUE).get_by_role("button")
    button.click()
    page.locator("#members-rows .row-card", has_text=COLLEAGUE).wait_for()
    shot(page, "members-1-form")
    page.get_by_role("button", name="Lưu và xem hồ sơ").click()
    waiting = page.locator("#members-waiting")
    assert COLLEAGUE in waiting.inner_text()
    shot(page, "members-2-waiting")
    request_url = page.url
    page.context.close()

    colleague = log_in(browser, base, "gv2.thpt1", DESKTOP)
    todo = colleague.locator("#membership-confirmations")
    assert "Cần bạn xác nhận tham gia đoàn" in todo.inner_text()
    todo.get_by_role("link").first.click()
    assert f"{TEACHER} đã ghi tên bạn vào đoàn" in colleague.content()
    shot(colleague, "members-3-confirm")
    colleague.get_by_role("button", name="Đồng ý tham gia").click()
    colleague.get_by_text("Bạn đã xác nhận tham gia đoàn.").wait_for()
    colleague.context.close()

    page = log_in(browser, base, "gv.thpt1", DESKTOP)
    page.goto(request_url)
    assert page.locator("#members-waiting").count() == 0
    for area in page.locator("#submit-panel textarea").all():
        area.fill("Chuyến đi theo kế hoạch hợp tác năm học đã được phê duyệt.")
    page.locator("#submit-panel button[type=submit]").click()
    page.get_by_text("Đã trình hồ sơ số").wait_for()
    shot(page, "members-4-submitted")
    page.context.close()
