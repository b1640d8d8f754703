"""Fixtures of the delegations tests."""

from __future__ import annotations

import pytest

from org.models import Person, Role, Unit
from tests.conftest import Org
from tests.factories import UnitFactory, make_staff


@pytest.fixture
def agencies(db: None) -> list[Unit]:
    """Công an TP and Sở Ngoại vụ, the two agencies every decision is notified to."""
    return [
        UnitFactory(code="CATP", name="Công an TP", kind="agency"),
        UnitFactory(code="SNGV", name="Sở Ngoại vụ", kind="agency"),
    ]


@pytest.fixture
def ward_head(org: Org) -> Person:
    """The principal of the ward-managed primary school."""
    return make_staff(
        "ward_head",
        org.ward_school,
        Role.UNIT_HEAD,
        full_name="Đỗ Thị Hạnh",
        position="Hiệu trưởng",
    )
