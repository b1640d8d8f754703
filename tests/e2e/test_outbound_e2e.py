"""In a real browser: a clerk files a delegation of three, the head, the office and the
director approve it, and the request page shows the three approvals.

Set-up in ``tests/e2e/conftest.py`` (live server, demo data, Debian's Chromium); screenshots of
each stage go to ``tests/e2e/screenshots/``.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from org.calendar import add_working_days
from tests.e2e.browser import fill_trip, log_in, shot, submit_and_approve

pytestmark = pytest.mark.e2e

#: Three teachers of THPT1 (not the principal: she must stay free to approve).
TRAVELLERS = ("Trần Thị Ngọc Hân", "Lê Minh Khoa", "Nguyễn Hoàng Phúc")
INVITATION_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def add_member(page: Any, name: str, expected_rows: int) -> None:
    page.fill("#member-q", name)
    button = page.locator("#member-search-results li", has_text=name).get_by_role("button")
    button.wait_for()
    button.click()
    page.locator("#members-rows .row-card").nth(expected_rows - 1).wait_for()
    page.fill("#member-q", "")


def test_clerk_files_a_delegation_of_three_and_it_is_approved(demo_site: str, browser: Any) -> None:
    base = demo_site
    departure = add_working_days(datetime.date.today(), 40)

    page = log_in(browser, base, "vt.thpt1")
    page.goto(f"{base}/doan-ra/")
    page.get_by_role("link", name="Lập hồ sơ mới").click()
    fill_trip(page, departure, "Khảo sát mô hình giáo dục STEM tại Osaka", days=4)
    page.select_option("#id_stops-0-country", label="Nhật Bản")
    page.fill("#id_stops-0-days", "3")
    page.fill("#id_stops-0-cities", "Osaka")
    page.fill("#id_inviter_name", "Osaka Board of Education")
    page.select_option("#id_inviter_country", label="Nhật Bản")
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
    # The trip names its inviter: the invitation goes with the dossier (OUT-INVITATION).
    page.select_option("#id_attachment-kind", "invitation")
    page.set_input_files(
        "#id_attachment-file",
        files=[{"name": "thu-moi.pdf", "mimeType": "application/pdf", "buffer": INVITATION_PDF}],
    )
    page.get_by_role("button", name="Tải lên").click()
    page.locator("#attachment-list", has_text="thu-moi.pdf").wait_for()

    request_url, _reference = submit_and_approve(
        browser, base, page, "Chuyến đi theo kế hoạch hợp tác năm học đã được phê duyệt.", ""
    )

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
