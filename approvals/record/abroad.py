"""Who is abroad now: members of approved trips whose dates include today, by unit.

Scoped like the request list: a person appears only if the user may open their trip.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone

from approvals.documents.countries import country_name
from approvals.permissions import AnyUser
from delegations.models import OutboundMember, OutboundStop
from delegations.selectors import outbound_list_for_user

ABROAD_STATUSES = ("approved", "travelling")


def abroad_now(
    *, user: AnyUser, today: datetime.date | None = None, unit_code: str | None = None
) -> dict[str, Any]:
    """``{"date", "count", "units": [{"unit": {"code", "name"}, "people": [...]}]}``.

    A trip counts from its departure (the confirmed one when recorded) to its return date,
    both inclusive, while it is approved or travelling.
    """

    day = today or timezone.localdate()
    trips = (
        outbound_list_for_user(user=user)
        .filter(status__in=ABROAD_STATUSES, return_date__gte=day)
        .filter(
            Q(actual_departure__lte=day) | Q(actual_departure__isnull=True, departure_date__lte=day)
        )
    )
    members = OutboundMember.objects.filter(request__in=trips.values("pk"))
    if unit_code:
        members = members.filter(person__unit__code=unit_code)
    rows = members.values(
        "person_id", "person__full_name", "person__position", "person__unit__code",
        "person__unit__name", "role", "request_id", "request__reference", "request__status",
        "request__kind", "request__departure_date", "request__return_date",
        "request__actual_departure",
    ).order_by("person__unit__code", "person__full_name", "request_id")  # fmt: skip
    people = list(rows)
    countries: dict[int, list[str]] = defaultdict(list)
    for request_id, code in (
        OutboundStop.objects.filter(request_id__in={p["request_id"] for p in people})
        .order_by("request_id", "order", "pk")
        .values_list("request_id", "country")
    ):
        if code not in countries[request_id]:
            countries[request_id].append(code)
    units: dict[str, dict[str, Any]] = {}
    for p in people:
        code = p["person__unit__code"]
        group = units.setdefault(
            code, {"unit": {"code": code, "name": p["person__unit__name"]}, "people": []}
        )
        codes = countries.get(p["request_id"], [])
        departure = p["request__actual_departure"] or p["request__departure_date"]
        group["people"].append(
            {
                "person": p["person_id"],
                "full_name": p["person__full_name"],
                "position": p["person__position"],
                "role": p["role"],
                "request": {
                    "kind": "outbound",
                    "id": p["request_id"],
                    "reference": p["request__reference"],
                },
                "trip_kind": p["request__kind"],
                "status": p["request__status"],
                "countries": codes,
                "country_names": [country_name(c) for c in codes],
                "departure_date": departure.isoformat(),
                "return_date": p["request__return_date"].isoformat(),
            }
        )
    return {"date": day.isoformat(), "count": len(people), "units": list(units.values())}
