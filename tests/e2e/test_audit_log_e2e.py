"""In a real browser, as the inspector (``thanhtra``): open the system log, read the
verification status and the last checkpoint, press "verify now" and read its result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from approvals.audit import checkpoint_write
from tests.e2e.browser import log_in, shot

pytestmark = pytest.mark.e2e


def test_inspector_reads_the_system_log_and_verifies_it(
    demo_site: str, browser: Any, settings: Any, tmp_path: Path, fresh_cache: None
) -> None:
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    checkpoint = checkpoint_write().checkpoint
    assert checkpoint is not None
    base = demo_site

    page = log_in(browser, base, "thanhtra")
    page.goto(f"{base}/nhat-ky/")
    assert page.locator("h1").inner_text() == "Nhật ký hệ thống"
    assert "Chưa kiểm tra" in page.locator("#last-verification").inner_text()
    assert f"(#{checkpoint.last_seq})" in page.locator("#last-checkpoint").inner_text()
    assert page.locator("#audit-events tbody tr").count() > 0

    page.click("#verify-now")
    page.wait_for_url("**/nhat-ky/?job=*")
    result = page.locator("[data-verification]")
    assert result.get_attribute("data-verification") == "intact"
    assert "Toàn vẹn" in page.locator("#last-verification").inner_text()
    shot(page, "audit-log-verified")

    page.fill("#action", "audit.")
    page.click("form.report-filter button[type=submit]")
    page.wait_for_url("**/nhat-ky/?*action=audit.*")
    rows = page.locator("#audit-events tbody tr")
    assert rows.count() == 1 and "audit.verification_requested" in rows.first.inner_text()
    page.context.close()
