import pytest

from tests.conftest import Org
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_person_without_flags_is_not_restricted(org: Org) -> None:
    assert not PersonFactory(unit=org.school_a).is_restricted


@pytest.mark.parametrize(
    "flag",
    [
        "exit_banned",
        "under_discipline",
        "under_inspection",
        "in_criminal_proceedings",
        "in_civil_dispute",
    ],
)
def test_any_single_flag_restricts_a_person(org: Org, flag: str) -> None:
    assert PersonFactory(unit=org.school_a, **{flag: True}).is_restricted
