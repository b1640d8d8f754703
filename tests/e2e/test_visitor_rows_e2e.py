"""In a real browser: a clerk types the visitors of a visit (adding a row), removes one on the
edit page, and downloads the sheet template.

Set-up in ``tests/e2e/conftest.py``; screenshots go to ``tests/e2e/screenshots/visitors-*.png``.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from delegations.services.visitor_import import VISITOR_COLUMNS
from org.calendar import add_working_days
from tests.e2e.browser import fill_visit, log_in, shot

pytestmark = pytest.mark.e2e


def type_visitor(page: Any, index: int, name: str, passport: str) -> None:
    row = page.locator(f"#visitors-{index}-row")
    row.get_by_label("Họ tên").fill(name)
    row.get_by_label("Quốc tịch").fill("JP")
    row.get_by_label("Số hộ chiếu").fill(passport)
    row.get_by_label("Ngày hết hạn").fill("2035-01-01")


def test_clerk_types_visitors_adds_a_row_and_removes_one(demo_site: str, browser: Any) -> None:
    base = demo_site
    arrival = add_working_days(datetime.date.today(), 40)
    page = log_in(browser, base, "vt.thpt1")
    page.goto(f"{base}/doan-vao/moi/")
    with page.expect_download() as download:
        page.locator("#visitor-template").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    header = [c.value for c in next(workbook.worksheets[0].iter_rows(max_row=1))]
    assert header == [str(c.label) for c in VISITOR_COLUMNS]

    fill_visit(page, arrival)
    type_visitor(page, 0, "Tanaka Hiroshi", "TK1234567")
    page.get_by_role("button", name="Thêm dòng").click()
    page.locator("#visitors-1-row").wait_for()
    # What was typed survives adding a row.
    assert page.locator("#visitors-0-row").get_by_label("Họ tên").input_value() == "Tanaka Hiroshi"
    type_visitor(page, 1, "Sato Yuki", "TK1234567")  # the same passport: refused
    page.get_by_role("button", name="Lưu nháp").click()
    assert "Số hộ chiếu trùng với dòng 1." in page.locator("#visitors-1-row").inner_text()
    page.locator("#visitors-1-row").get_by_label("Số hộ chiếu").fill("TK7654321")
    shot(page, "visitors-1-typed")
    page.get_by_role("button", name="Lưu và xem hồ sơ").click()
    page.locator("#visitors").wait_for()
    assert "Sato Yuki" in page.locator("#visitors").inner_text()

    page.goto(page.url + "sua/")
    page.locator("#visitors-0-row").get_by_label("Xóa dòng này").check()
    page.get_by_role("button", name="Lưu và xem hồ sơ").click()
    page.locator("#visitors").wait_for()
    roster = page.locator("#visitors").inner_text()
    assert "Sato Yuki" in roster and "Tanaka Hiroshi" not in roster
    shot(page, "visitors-2-after-removal")
    page.context.close()
