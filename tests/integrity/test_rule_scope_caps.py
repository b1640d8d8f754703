"""Rule scope (issue #15, problem 6): the caps of working delegations (OUT-SIZE,
OUT-DAYS-PER-COUNTRY, OUT-COUNTRIES) concern official trips only, never a family visit or a
long private stay."""

import pytest

from tests.conftest import login
from tests.delegations.test_outbound_api import create
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
CAPS = {"OUT-SIZE", "OUT-DAYS-PER-COUNTRY", "OUT-COUNTRIES"}
FOUR_COUNTRIES = [{"country": c, "days": 25, "cities": ""} for c in ("AU", "NZ", "FJ", "SG")]


def checks(client, rid):
    response = client.get(f"/api/v1/outbound/{rid}/checks/")
    assert response.status_code == 200
    return {c["rule"]: c for c in response.json()["checks"]}


def test_a_twelve_day_family_visit_is_not_held_to_the_delegation_caps(org, teacher_a):
    client = login(teacher_a)
    rid = create(
        client, teacher_a, kind="personal", days=12, purpose_category="family",
        itinerary=[{"country": "US", "days": 12, "cities": "San Jose"}],
    )["id"]  # fmt: skip
    found = checks(client, rid)
    assert not CAPS & set(found)
    warned = {r for r, c in found.items() if c["severity"] == "warn" and not c["passed"]}
    assert warned <= {"OUT-PASSPORT"}  # no passport chosen in this draft: a real warning


def test_a_hundred_day_private_study_stay_in_four_countries_is_not_flagged(org, teacher_a):
    client = login(teacher_a)
    rid = create(
        client, teacher_a, kind="personal", days=100, purpose_category="other",
        itinerary=FOUR_COUNTRIES,
    )["id"]  # fmt: skip
    found = checks(client, rid)
    assert not CAPS & set(found)
    assert found["OUT-LONG-STAY"]["passed"] is False  # the rule that does concern it


def test_the_same_itinerary_on_official_business_is_warned(org, teacher_a):
    client = login(teacher_a)
    rid = create(client, teacher_a, days=100, itinerary=FOUR_COUNTRIES)["id"]
    found = checks(client, rid)
    assert found["OUT-DAYS-PER-COUNTRY"]["passed"] is False
    assert found["OUT-COUNTRIES"]["passed"] is False
    assert found["OUT-COUNTRIES"]["title"] == "Số nước đến vượt mức"


def test_delegation_size_cap_counts_for_official_trips_only(org, clerk_a, teacher_a):
    people = [teacher_a] + [make_staff(f"gv{i}", org.school_a) for i in range(5)]
    client = login(clerk_a)
    personal = create(client, *people, kind="personal", purpose_category="tourism")["id"]
    official = create(client, *people)["id"]
    assert "OUT-SIZE" not in checks(client, personal)
    size = checks(client, official)["OUT-SIZE"]
    assert size["passed"] is False and "6 thành viên" in size["message"]
