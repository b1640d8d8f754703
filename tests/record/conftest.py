"""The system log's tests start with an empty cache of their own: no verification on record,
no refusal counters."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_cache(fresh_cache: Any) -> None:
    """Each test of the system log reads and writes its own cache namespace."""
