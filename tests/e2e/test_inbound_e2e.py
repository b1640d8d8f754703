"""In a real browser: a clerk files an inbound visit with the partner's visitor sheet, the head,
the office and the director approve it, and the visit page and the calendar show it approved.

Set-up in ``tests/e2e/conftest.py`` (live server, demo data, Debian's Chromium);
screenshots go to ``tests/e2e/screenshots/inbound-*.png``.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from org.calendar import add_working_days
from tests.e2e.browser import fill_visit, log_in, shot, submit_and_approve

pytestmark = pytest.mark.e2e

SHEET = (
    "Họ tên,Quốc tịch,Số hộ chiếu,Ngày hết hạn,Ngày sinh,Tổ chức,Chức danh\n"
    "Tanaka Hiroshi,JP,TK1234567,01/01/2035,02/04/1975,Osaka Board of Education,Director\n"
    "Sato Yuki,JP,TK7654321,30/06/2034,12/09/1980,Osaka Board of Education,Teacher\n"
)


def test_clerk_files_a_visit_from_a_visitor_sheet_and_it_is_approved(
    demo_site: str, browser: Any, tmp_path: Path
) -> None:
    base = demo_site
    arrival = add_working_days(datetime.date.today(), 40)
    sheet = tmp_path / "danh-sach-khach.csv"
    sheet.write_text(SHEET, encoding="utf-8")

    page = log_in(browser, base, "vt.thpt1")
    page.goto(f"{base}/doan-vao/")
    page.get_by_role("link", name="Lập hồ sơ mới").click()
    page.locator("#blackout-calendar").wait_for()
    fill_visit(page, arrival)
    page.fill("#id_programme", "09:00 chào đón; 10:00 dự giờ lớp 11A1")
    page.fill("#id_interpreter", "Nguyễn Thị Thu (giáo viên tiếng Nhật)")
    page.select_option("#id_accommodation_kind", "hotel")
    page.fill("#id_accommodation_address", "Khách sạn Rex, 141 Nguyễn Huệ")
    page.set_input_files("#id_visitor_file", str(sheet))
    shot(page, "inbound-1-form")
    page.get_by_role("button", name="Lưu và xem hồ sơ").click()
    page.locator("#submit-panel").wait_for()
    assert "Đã lưu bản nháp với 2 khách từ tệp." in page.content()
    assert page.locator("#visitors").inner_text().count("Osaka Board of Education") == 2
    shot(page, "inbound-2-draft")

    visit_url, reference = submit_and_approve(
        browser, base, page, "Đoàn theo chương trình hợp tác năm học đã được phê duyệt.", "inbound-"
    )

    page = log_in(browser, base, "vt.thpt1")
    page.goto(visit_url)
    assert page.locator("#request-status").inner_text() == "Đã phê duyệt"
    assert "Tanaka Hiroshi" in page.locator("#visitors").inner_text()
    shot(page, "inbound-7-approved")
    year, week, _day = arrival.isocalendar()
    page.goto(f"{base}/doan-vao/lich/?week={year}-W{week:02d}")
    assert reference in page.locator("#visit-calendar").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    shot(page, "inbound-8-calendar-phone")
    page.context.close()
