"""Day one in the office, in Chromium on the demo data: what waits on the home page, where the
decision panel sits on a laptop and on a phone, and what the inspector finds in the menu."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from approvals.documents.services import document_file
from approvals.models import Document
from tests.e2e.browser import DESKTOP, PHONE, log_in, shot
from tests.e2e.demo_requests import osaka_trip
from tests.flows import open_task

pytestmark = pytest.mark.e2e


def at_the_director() -> Any:
    """A teacher's trip to Japan, approved by her principal and the office: the Director's turn.

    Six days in Japan warn (the official cap is fewer): one rule fails, the others pass.
    """
    return osaka_trip("ht.thpt1", "cv.vp", days=6, estimated_cost=90_000_000)


def test_director_sees_the_waiting_request_and_decides_from_the_top(
    demo_site: str, browser: Any
) -> None:
    request = at_the_director()
    task = open_task(request)
    base = demo_site

    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = log_in(browser, base, "gd", viewport)
        waiting = page.locator(".card__waiting").first.inner_text()
        assert waiting == "1 hồ sơ đang chờ bạn xử lý.", name

        page.goto(f"{base}/viec/{task.pk}/")
        form = page.locator("#decision-form")
        box = form.bounding_box()
        assert box is not None and box["y"] + 60 < viewport["height"], (name, box)
        failed = page.locator("#checks-failed tbody tr")
        assert failed.count() >= 1 and "Chưa đạt" in failed.first.inner_text()
        passed = page.locator("#checks-passed")
        assert passed.get_attribute("open") is None  # folded
        assert not passed.locator("tbody tr").first.is_visible()
        assert "quy tắc đã đạt" in passed.locator("summary").inner_text()
        # The rule table fits the screen: nothing cut off on the right.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (name, width)
        shot(page, f"day-one-task-{name}")

        if viewport is DESKTOP:
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            assert page.evaluate("window.scrollY") > 500
            box = form.bounding_box()
            assert box is not None and 0 <= box["y"] < viewport["height"], box  # sticky
        else:
            dossier = page.locator(".task-dossier").bounding_box()
            assert dossier is not None and box["y"] < dossier["y"]
        passed.locator("summary").click()
        assert passed.locator("tbody tr").first.is_visible()
        page.context.close()


def test_inspector_finds_exports_and_the_system_log_in_the_menu(
    demo_site: str, browser: Any
) -> None:
    base = demo_site
    teacher = log_in(browser, base, "gv.thpt1")
    menu = teacher.locator("nav.site-nav")
    assert menu.get_by_role("link", name="Xuất dữ liệu").count() == 0
    assert menu.get_by_role("link", name="Nhật ký hệ thống").count() == 0
    teacher.context.close()

    page = log_in(browser, base, "thanhtra")
    page.locator("nav.site-nav").get_by_role("link", name="Xuất dữ liệu").click()
    page.wait_for_url(f"{base}/xuat-du-lieu/")
    page.locator("nav.site-nav").get_by_role("link", name="Nhật ký hệ thống").click()
    page.wait_for_url(f"{base}/nhat-ky/")
    assert page.locator("h1").inner_text() == "Nhật ký hệ thống"
    page.context.close()


def test_director_approves_without_waiting_and_the_page_shows_the_documents_coming(
    demo_site: str, browser: Any, settings: Any
) -> None:
    settings.DOCUMENT_RENDER_IN_THREAD = True  # as in the demo: no worker, no waiting
    request = at_the_director()
    base = demo_site

    page = log_in(browser, base, "gd")
    page.goto(f"{base}/viec/{open_task(request).pk}/")
    page.check("#decision-form input[name=action][value=approve]")
    page.click("#decision-form button[type=submit]")
    page.wait_for_url(f"{base}/viec/")

    page.goto(f"{base}/doan-ra/{request.pk}/")
    decision = page.locator("#document-list li", has_text="Quyết định")
    preparing = decision.locator(".document__preparing")
    if preparing.count():  # still rendering: says so, and the page reloads by itself
        assert "Đang chuẩn bị tệp PDF và DOCX" in preparing.inner_text()
        assert page.locator('meta[http-equiv="refresh"]').count() == 1
    link = decision.get_by_role("link", name="Tải PDF")
    try:
        link.wait_for(timeout=30_000)
    except PlaywrightTimeout:
        # On a busy machine the thread may give up on a locked database; the render sweep (or
        # a download) renders what is left, and the page, reloading itself, shows the links.
        for document in Document.objects.filter(request_id=request.pk, rendered_at=None):
            document_file(document, "pdf")
        link.wait_for(timeout=30_000)
    page.context.close()


def test_teacher_picks_countries_by_name(demo_site: str, browser: Any) -> None:
    page = log_in(browser, demo_site, "gv.thpt1", PHONE)
    page.goto(f"{demo_site}/doan-ra/moi/")
    stop = page.locator("#id_stops-0-country")
    stop.select_option(label="Singapore")
    assert stop.input_value() == "SG"
    assert (
        page.locator("#id_inviter_country option", has_text="Slovenia").get_attribute("value")
        == "SI"
    )
    page.context.close()
