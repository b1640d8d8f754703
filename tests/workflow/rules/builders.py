"""Facts for rule tests: a Sở-managed high school, a ward-managed primary school, the Sở."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from workflow.rules.facts import (
    InboundFacts,
    ItineraryStop,
    MemberFacts,
    OutboundFacts,
    PassportFacts,
    UnitFacts,
    VisitorFacts,
)

D = dt.date
HIGH_SCHOOL = UnitFacts(
    code="THPT-A", kind="school", managed_by="department", school_level="upper_secondary"
)
WARD_SCHOOL = UnitFacts(code="TH-P1", kind="school", managed_by="ward", school_level="primary")
DEPARTMENT = UnitFacts(code="SGDDT", kind="department", managed_by="city")


def member(name: str = "Trần Thị Lan", person_id: int = 1, **fields: Any) -> MemberFacts:
    fields.setdefault("unit", HIGH_SCHOOL)
    fields.setdefault("passport", PassportFacts("ordinary", f"P{person_id:07d}", D(2035, 1, 1)))
    return MemberFacts(person_id=person_id, full_name=name, **fields)


def outbound(**fields: Any) -> OutboundFacts:
    """A clean official trip of one high-school teacher to Japan, filed well in advance."""
    base = OutboundFacts(
        kind="official",
        purpose_category="study",
        unit=HIGH_SCHOOL,
        departure_date=D(2027, 3, 10),
        return_date=D(2027, 3, 14),
        members=(member(role="head"),),
        itinerary=(ItineraryStop("JP", 3, "Osaka"),),
        funding_source="unit_revenue",
        submitted_on=D(2027, 1, 4),
    )
    return replace(base, **fields)


def personal(**fields: Any) -> OutboundFacts:
    fields.setdefault("kind", "personal")
    fields.setdefault("purpose_category", "family")
    fields.setdefault("funding_source", "self")
    return outbound(**fields)


def ward_teacher(**fields: Any) -> MemberFacts:
    fields.setdefault("unit", WARD_SCHOOL)
    return member("Lý Thị Mai", 7, **fields)


def visitor(name: str = "Akiko Tanaka", **fields: Any) -> VisitorFacts:
    fields.setdefault("nationality", "JP")
    fields.setdefault("passport_number", "TK1234567")
    fields.setdefault("passport_expiry", D(2030, 1, 1))
    return VisitorFacts(full_name=name, **fields)


def inbound(**fields: Any) -> InboundFacts:
    """A clean visit of a Japanese school to a Sở-managed high school."""
    base = InboundFacts(
        host_unit=HIGH_SCHOOL,
        organisation="Osaka Municipal High School",
        country="JP",
        purpose_category="visit",
        arrival_date=D(2027, 3, 15),
        departure_date=D(2027, 3, 17),
        visitors=(visitor(),),
        submitted_on=D(2027, 1, 4),
    )
    return replace(base, **fields)
