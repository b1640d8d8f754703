"""The approval chain's integrity suite: the check that every step has a holder is on, as in
production."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _step_holders_required(settings: Any) -> None:
    settings.REQUIRE_STEP_HOLDERS = True
