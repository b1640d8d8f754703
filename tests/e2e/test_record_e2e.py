"""In a real browser, as the inspector (``thanhtra``): download a decision's PDF from the request
page and the requests export as XLSX, and check what was downloaded.

The request is filed and approved through the services on the demo data; the approval's
documents render after commit (Celery runs eagerly here), as they would for a real approval.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.e2e.browser import log_in, shot
from tests.e2e.demo_requests import osaka_trip

pytestmark = pytest.mark.e2e


def test_inspector_downloads_a_decision_pdf_and_an_xlsx_export(
    demo_site: str, request: pytest.FixtureRequest
) -> None:
    # Rendered files go to the test's own media root (tests/conftest.py).
    trip = osaka_trip("ht.thpt1", "cv.vp", "gd")
    assert trip.status == "approved"
    base = demo_site
    # The browser only after the approval: Playwright's sync API keeps an event loop running
    # in this thread, under which pyHanko (asyncio.run) could not sign the agencies' e-mails.
    browser: Any = request.getfixturevalue("browser")

    page = log_in(browser, base, "thanhtra")
    page.goto(f"{base}/doan-ra/{trip.pk}/")
    decision = page.locator("#document-list li", has_text="Quyết định")
    decision.wait_for()
    with page.expect_download() as pdf_download:
        decision.get_by_role("link", name="Tải PDF").click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf_download.value.suggested_filename.startswith("quyet-dinh-")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Trần Thị Ngọc Hân" in text and "Lâm Quang Vinh" in text
    shot(page, "record-1-request")

    page.goto(f"{base}/xuat-du-lieu/")
    with page.expect_download() as xlsx_download:
        page.locator("a[data-export='outbound.xlsx']").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    data = Path(xlsx_download.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["Mã", "Số hồ sơ"]
    # The demo's past year is exported too.
    exported = [r[1] for r in rows[1:]]
    assert trip.reference in exported and len(exported) > 1
    shot(page, "record-2-exports")
    page.context.close()
