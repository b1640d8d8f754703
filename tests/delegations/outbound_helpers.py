"""Building outbound requests for tests."""

from __future__ import annotations

import datetime

from delegations.services.outbound import MemberInput, OutboundInput, StopInput
from org.calendar import add_working_days
from org.models import Person
from tests.factories import PassportFactory


def far_departure(days: int = 40) -> datetime.date:
    """A departure comfortably past every lead time."""
    return add_working_days(datetime.date.today(), days)


def outbound_input(
    *members: Person,
    kind: str = "official",
    departure: datetime.date | None = None,
    days: int = 5,
    **overrides: object,
) -> OutboundInput:
    departure = departure or far_departure()
    data = OutboundInput(
        kind=kind,
        purpose_category="study" if kind == "official" else "tourism",
        purpose="Khảo sát mô hình trường học tiên tiến",
        departure_date=departure,
        return_date=departure + datetime.timedelta(days=days - 1),
        funding_source="unit_revenue" if kind == "official" else "self",
        members=[
            MemberInput(person_id=p.pk, role="head" if i == 0 else "member")
            for i, p in enumerate(members)
        ],
        itinerary=[StopInput(country="JP", days=min(days, 3), cities="Osaka")],
        # No inviter by default: an official trip that names one must attach the invitation
        # (OUT-INVITATION); tests about inviters pass them and attach it.
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def with_passports(data: OutboundInput) -> OutboundInput:
    """Give each member of an ``OutboundInput`` an ordinary passport of their own."""
    for member in data.members:
        passport = PassportFactory(person_id=member.person_id)
        member.passport_id = passport.pk
    return data
