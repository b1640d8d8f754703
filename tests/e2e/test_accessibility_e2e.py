"""axe-core (bundled with axe-playwright-python, no CDN) over the main pages of each persona:
no serious or critical violation (labels, contrast, landmarks, names of controls).

One browser; one context per persona, its page reused from page to page. The request and the
task come from the services on the demo data.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.browser import log_in
from tests.e2e.demo_requests import osaka_trip
from tests.flows import open_task

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}


def problems(axe: Axe, page: Any, name: str) -> list[str]:
    results = axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING:
            targets = [", ".join(map(str, n["target"])) for n in violation["nodes"][:5]]
            found.append(f"{name}: {violation['id']} ({violation['impact']}) at {targets}")
    return found


def test_main_pages_of_every_persona_have_no_serious_accessibility_violation(
    demo_site: str, browser: Any
) -> None:
    base = demo_site
    request = osaka_trip()
    task = open_task(request)
    axe = Axe()
    found: list[str] = []

    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    found += problems(axe, page, "log-in")
    context.close()

    pages: dict[str, list[tuple[str, str]]] = {
        "gv.thpt1": [
            ("home", "/"),
            ("outbound form", "/doan-ra/moi/"),
            ("request page", f"/doan-ra/{request.pk}/"),
        ],
        "ht.thpt1": [
            ("home", "/"),
            ("inbox", "/viec/"),
            ("task page", f"/viec/{task.pk}/"),
        ],
        "vt.thpt1": [
            ("home", "/"),
            ("inbound form", "/doan-vao/moi/"),
            ("calendar", "/doan-vao/lich/"),
            ("calendar, month", "/doan-vao/lich/?view=month"),
        ],
        "cv.vp": [("home", "/"), ("inbox", "/viec/")],
        "gd": [("home", "/")],
        "ct.phuong1": [("home", "/")],
        "thanhtra": [
            ("home", "/"),
            ("annual report", "/bao-cao/nam/"),
            ("reports", "/bao-cao/"),
            ("exports", "/xuat-du-lieu/"),
            ("audit log", "/nhat-ky/"),
            ("abroad now", "/dang-o-nuoc-ngoai/"),
        ],
    }
    for username, paths in pages.items():
        page = log_in(browser, base, username)
        for name, path in paths:
            response = page.goto(f"{base}{path}")
            assert response is not None and response.ok, (username, path, response)
            found += problems(axe, page, f"{username} {name} ({path})")
        page.context.close()

    # The same pages where layout changes most, on a phone.
    page = log_in(browser, base, "ht.thpt1")
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in [("home", "/"), ("inbox", "/viec/"), ("task page", f"/viec/{task.pk}/")]:
        page.goto(f"{base}{path}")
        found += problems(axe, page, f"phone ht.thpt1 {name} ({path})")
    page.context.close()

    assert not found, "\n".join(found)


def focused(page: Any) -> dict[str, str]:
    return page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return {tag: e.tagName, name: e.name || '', value: e.value || '',"
        " type: e.type || '', inForm: !!e.closest('#decision-form'),"
        " outline: s.outlineStyle}; }"
    )


def test_the_decision_form_is_used_with_the_keyboard_alone(demo_site: str, browser: Any) -> None:
    base = demo_site
    request = osaka_trip()
    task = open_task(request)
    page = log_in(browser, base, "ht.thpt1")
    page.goto(f"{base}/viec/{task.pk}/")
    page.locator("#decision-form").wait_for()
    # Tab from the top of the page to the decision (bounded), as a keyboard user would.
    for _step in range(300):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["inForm"] and now["name"] == "action":
            break
    else:
        pytest.fail("Tab never reaches the decision choices")
    assert now["outline"] != "none", "the focused choice shows no focus ring"
    for _step in range(6):  # arrow keys move within the choices until "approve"
        if focused(page)["value"] == "approve":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.locator("#decision-form input[value=approve]").is_checked()
    for _step in range(20):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["type"] == "submit" and now["inForm"]:
            break
    else:
        pytest.fail("Tab never reaches the decision's button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/viec/")
    assert "Đã ghi nhận" in page.content()
    page.context.close()
