"""What the rule pack knows about a request: plain, immutable data.

The rules never touch the database. :mod:`delegations.facts` builds these facts from a
stored request (history counts included, in a bounded number of queries); tests build them
directly.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitFacts:
    code: str
    kind: str  # org.models.UnitKind value
    #: "department", "ward" or "city": who manages the unit (DOMAIN.md §2).
    managed_by: str
    school_level: str = ""


@dataclass(frozen=True)
class PassportFacts:
    kind: str  # ordinary / official / diplomatic
    number: str
    expires_on: datetime.date


@dataclass(frozen=True)
class MemberFacts:
    """A traveller, with the history the rules need (computed, never typed)."""

    person_id: int
    full_name: str
    unit: UnitFacts
    role: str = "member"  # head / member
    position: str = ""
    is_key_leader: bool = False
    is_party_managed: bool = False
    #: True for the Director and deputy directors of the department.
    is_department_leader: bool = False
    #: True when the member is the head of their unit (a principal, a director of a centre).
    is_unit_head: bool = False
    restrictions: tuple[str, ...] = ()  # names of the Person restriction flags that are set
    passport: PassportFacts | None = None
    #: Official trips already approved or pending this calendar year (this request excluded).
    official_trips_this_year: int = 0
    #: References of other approved or pending trips whose dates overlap this one.
    overlapping_trips: tuple[str, ...] = ()
    #: References of trips whose post-trip report is overdue.
    overdue_reports: tuple[str, ...] = ()
    #: References of trips whose official passport has not been handed back in time.
    unreturned_passports: tuple[str, ...] = ()
    #: Person id of a relative travelling in the same delegation, if any.
    relative_of: int | None = None


@dataclass(frozen=True)
class ItineraryStop:
    country: str  # ISO 3166-1 alpha-2
    days: int
    cities: str = ""
    major_event: bool = False


@dataclass(frozen=True)
class OutboundFacts:
    """An outbound request (đoàn ra)."""

    kind: str  # official / personal
    purpose_category: str
    unit: UnitFacts
    departure_date: datetime.date
    return_date: datetime.date
    members: tuple[MemberFacts, ...]
    itinerary: tuple[ItineraryStop, ...] = ()
    inviter_name: str = ""
    inviter_is_enterprise: bool = False
    named_invitation: bool = False
    sponsored_by_enterprise: bool = False
    funding_source: str = (
        ""  # state_budget / unit_revenue / foreign_partner / project / self / enterprise
    )
    tied_to_contract: bool = False
    presentation_abroad: bool = False
    presentation_text: str = ""
    head_appraisal: str = ""
    #: The date the request is (or would be) submitted, for lead times.
    submitted_on: datetime.date | None = None
    reference: str | None = None
    #: The applicant heads the unit: the unit-head step is their own proposal and is skipped.
    applicant_is_unit_head: bool = False
    #: The declared types of the files attached to the dossier ("invitation", "cv", ...).
    attachment_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class VisitorFacts:
    full_name: str
    nationality: str = ""
    passport_number: str = ""
    passport_expiry: datetime.date | None = None
    title: str = ""


@dataclass(frozen=True)
class InboundFacts:
    """An inbound visit (đoàn vào)."""

    host_unit: UnitFacts
    organisation: str
    country: str
    purpose_category: (
        str  # visit / teaching / internship / study / cooperation / conference / other
    )
    arrival_date: datetime.date
    departure_date: datetime.date
    visitors: tuple[VisitorFacts, ...] = ()
    purpose_text: str = ""
    #: Declared by the host: study-abroad consulting, scholarship marketing, advertising.
    involves_student_recruitment: bool = False
    involves_advertising: bool = False
    sponsor: str = ""
    enterprise_involved: bool = False
    is_conference: bool = False
    #: "minister" / "vice_minister" / "ambassador" / "other" — the most senior foreign guest.
    senior_guest_level: str = ""
    prime_minister_decides: bool = False
    submitted_on: datetime.date | None = None
    #: The date the decision is expected, for IN-NOTIFY-LEAD (preview uses the estimate).
    decision_on: datetime.date | None = None
    reference: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    #: The filing person heads the host unit: the unit-head step is skipped.
    applicant_is_unit_head: bool = False
