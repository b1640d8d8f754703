"""The approval chain's integrity suite.

The chain tests run with the check that every step has a holder on, as in production
(``pytestmark = pytest.mark.usefixtures("step_holders_required")``); the date, reference and
rule-scope tests build only the personas they need, like the older suites.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def step_holders_required(settings: Any) -> None:
    settings.REQUIRE_STEP_HOLDERS = True
