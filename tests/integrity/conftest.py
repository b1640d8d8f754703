"""The approval chain's integrity suite.

The whole suite runs with the check that every step has a holder on, as in production (the
shared ``org`` fixture makes school A's route holders); ``step_holders_required`` only says so
again for the chain tests, whatever a test's own settings.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def step_holders_required(settings: Any) -> None:
    settings.REQUIRE_STEP_HOLDERS = True
