"""Browser tests' set-up: Debian's Chromium under Playwright, the live server on the demo data.

Runs against pytest-django's live server (SQLite in memory, shared with the server thread
through ``transactional_db``); ``make e2e`` or ``pytest -m e2e tests/e2e``.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium_path() -> str:
    """Debian's Chromium for Playwright tests; under CI its absence is a failure, not a skip."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("Debian's chromium is not installed")
    return path


@pytest.fixture
def browser(chromium_path: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls made here
    # afterwards (fixture teardown) are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(live_server: Any, transactional_db: None) -> str:
    """The live server's base URL, on the demo data (``seed_demo``)."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    return str(live_server.url)
