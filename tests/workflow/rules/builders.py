"""Facts for rule tests: a Sở-managed high school, a ward-managed primary school, the Sở."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from workflow.rules import facts

D = dt.date
HIGH_SCHOOL = facts.UnitFacts(
    code="THPT-A", kind="school", managed_by="department", school_level="upper_secondary"
)
WARD_SCHOOL = facts.UnitFacts(
    code="TH-P1", kind="school", managed_by="ward", school_level="primary"
)
DEPARTMENT = facts.UnitFacts(code="SGDDT", kind="department", managed_by="city")


def member(name: str = "Trần Thị Lan", person_id: int = 1, **fields: Any) -> facts.MemberFacts:
    fields.setdefault("unit", HIGH_SCHOOL)
    fields.setdefault(
        "passport", facts.PassportFacts("ordinary", f"P{person_id:07d}", D(2035, 1, 1))
    )
    return facts.MemberFacts(person_id=person_id, full_name=name, **fields)


def outbound(**fields: Any) -> facts.OutboundFacts:
    """A clean official trip of one high-school teacher to Japan, filed well in advance."""
    base = facts.OutboundFacts(
        kind="official",
        purpose_category="study",
        unit=HIGH_SCHOOL,
        departure_date=D(2027, 3, 10),
        return_date=D(2027, 3, 14),
        members=(member(role="head"),),
        itinerary=(facts.ItineraryStop("JP", 3, "Osaka"),),
        funding_source="unit_revenue",
        submitted_on=D(2027, 1, 4),
    )
    return replace(base, **fields)


def personal(**fields: Any) -> facts.OutboundFacts:
    fields.setdefault("kind", "personal")
    fields.setdefault("purpose_category", "family")
    fields.setdefault("funding_source", "self")
    return outbound(**fields)


def ward_teacher(**fields: Any) -> facts.MemberFacts:
    fields.setdefault("unit", WARD_SCHOOL)
    return member("Lý Thị Mai", 7, **fields)


def visitor(name: str = "Akiko Tanaka", **fields: Any) -> facts.VisitorFacts:
    fields.setdefault("nationality", "JP")
    fields.setdefault("passport_number", "TK1234567")
    fields.setdefault("passport_expiry", D(2030, 1, 1))
    return facts.VisitorFacts(full_name=name, **fields)


def inbound(**fields: Any) -> facts.InboundFacts:
    """A clean visit of a Japanese school to a Sở-managed high school."""
    base = facts.InboundFacts(
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
