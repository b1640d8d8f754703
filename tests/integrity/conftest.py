"""The approval chain's integrity suite.

The whole suite runs with the check that every step has a holder on, as in production (the
shared ``org`` fixture makes school A's route holders); ``step_holders_required`` only says so
again for the chain tests, whatever a test's own settings.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command


@pytest.fixture
def step_holders_required(settings: Any) -> None:
    settings.REQUIRE_STEP_HOLDERS = True


@pytest.fixture
def demo(db: None, settings: Any) -> None:
    """The demo directory and data (``seed_demo``)."""
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo12345"
    call_command("seed_demo", stdout=StringIO())
