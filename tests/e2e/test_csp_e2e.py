"""The pages satisfy their own Content-Security-Policy: the browser refuses nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = {
    "gv.thpt1": ["/", "/doan-ra/", "/doan-ra/moi/", "/doan-vao/", "/viec/", "/thong-bao/"],
    "thanhtra": ["/bao-cao/", "/bao-cao/nam/", "/xuat-du-lieu/", "/van-ban/"],
}


def test_no_page_breaks_the_content_security_policy(demo_site: str, browser: Any) -> None:
    refused: list[str] = []
    for username, paths in PAGES.items():
        page = log_in(browser, demo_site, username)
        page.on(
            "console",
            lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text
            else None,
        )
        for path in paths:
            response = page.goto(f"{demo_site}{path}")
            assert response is not None and response.status == 200, path
            assert "default-src 'self'" in (response.header_value("content-security-policy") or "")
        page.context.close()
    assert refused == []
