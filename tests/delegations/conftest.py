"""Fixtures of the delegations tests."""

from __future__ import annotations

import pytest

from org.models import Unit
from tests.factories import UnitFactory


@pytest.fixture
def agencies(db: None) -> list[Unit]:
    """Công an TP and Sở Ngoại vụ, the two agencies every decision is notified to."""
    return [
        UnitFactory(code="CATP", name="Công an TP", kind="agency"),
        UnitFactory(code="SNGV", name="Sở Ngoại vụ", kind="agency"),
    ]
