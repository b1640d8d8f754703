"""In a real browser, as the inspector (``thanhtra``): download a decision's PDF from the request
page and the requests export as XLSX, and check what was downloaded.

The request is filed and approved through the services on the demo data; the approval's
documents render after commit (Celery runs eagerly here), as they would for a real approval.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from org.calendar import add_working_days
from org.models import Person

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


@pytest.fixture
def browser(chromium_path: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def log_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def approved_demo_request() -> Any:
    """A teacher of THPT1 goes to Osaka; her principal, the office and the director approve."""
    from delegations.services.outbound import MemberInput, OutboundInput, StopInput, outbound_create
    from workflow.services import outbound_submit, process_for, task_complete

    users = {u.username: u for u in get_user_model().objects.all()}
    teacher = Person.objects.get(user__username="gv.thpt1")
    departure = add_working_days(datetime.date.today(), 40)
    data = OutboundInput(
        kind="official", purpose_category="study", purpose="Khảo sát giáo dục STEM tại Osaka",
        departure_date=departure, return_date=departure + datetime.timedelta(days=2),
        funding_source="unit_revenue", inviter_name="Osaka Board of Education",
        inviter_country="JP", members=[MemberInput(person_id=teacher.pk, role="head")],
        itinerary=[StopInput(country="JP", days=3, cities="Osaka")],
    )  # fmt: skip
    request = outbound_create(actor=users["gv.thpt1"], data=data)
    outbound_submit(actor=users["gv.thpt1"], request=request)
    for approver in ("ht.thpt1", "cv.vp", "gd"):
        task = process_for(request).task_set.filter(status__in=["NEW", "ASSIGNED"]).get()
        task_complete(task_id=task.pk, user=users[approver], action="approve")
    request.refresh_from_db()
    return request


def test_inspector_downloads_a_decision_pdf_and_an_xlsx_export(
    live_server: Any, transactional_db: None, browser: Any, settings: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", force=True, stdout=io.StringIO())
    request = approved_demo_request()
    assert request.status == "approved"
    base = live_server.url

    page = log_in(browser, base, "thanhtra")
    page.goto(f"{base}/doan-ra/{request.pk}/")
    decision = page.locator("#document-list li", has_text="Quyết định")
    decision.wait_for()
    with page.expect_download() as pdf_download:
        decision.get_by_role("link", name="Tải PDF").click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf_download.value.suggested_filename.startswith("quyet-dinh-")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Trần Thị Ngọc Hân" in text and "Lâm Quang Vinh" in text
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "record-1-request.png"), full_page=True)

    page.goto(f"{base}/xuat-du-lieu/")
    with page.expect_download() as xlsx_download:
        page.locator("a[data-export='outbound.xlsx']").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    data = Path(xlsx_download.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["Mã", "Số hồ sơ"]
    assert [r[1] for r in rows[1:]] == [request.reference]
    page.screenshot(path=str(SCREENSHOTS / "record-2-exports.png"), full_page=True)
    page.context.close()
