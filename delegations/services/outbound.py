"""State changes of outbound requests before submission: create, edit, attach.

Each service is keyword-only, atomic, checks the state first and writes an audit event.
Submission lives in :mod:`delegations.services.submission`, the decisions in
:mod:`delegations.services.decisions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from config.countries import is_country, unknown_country_message
from config.errors import ValidationError
from delegations.models import (
    FundingSource,
    MemberRole,
    OutboundMember,
    OutboundRequest,
    OutboundStop,
    PurposeCategory,
    TripKind,
)
from delegations.models.dates import dates_outside_window
from delegations.selectors import agreement_link_error
from delegations.services.common import (
    audit_created,
    audit_updated,
    filing_unit,
    filing_units,
    person_of,
    request_lock_for_edit,
)
from delegations.services.members import confirmations_ask, members_sync, trip_terms
from org.models import Passport, Person, Unit


@dataclass
class MemberInput:
    person_id: int
    role: str = MemberRole.MEMBER
    passport_id: int | None = None
    relative_of_id: int | None = None


@dataclass
class StopInput:
    country: str
    days: int
    cities: str = ""
    major_event: bool = False


def member_inputs(rows: Iterable[Mapping[str, Any]]) -> list[MemberInput]:
    """Members from the rows of the form or the API (``person``, ``role``, ``passport``,
    ``relative_of``)."""
    return [
        MemberInput(
            person_id=m["person"],
            role=m["role"],
            passport_id=m.get("passport"),
            relative_of_id=m.get("relative_of"),
        )
        for m in rows
    ]


def stop_inputs(rows: Iterable[Mapping[str, Any]]) -> list[StopInput]:
    """Itinerary stops from the rows of the form or the API (blank cities and flags allowed)."""
    return [
        StopInput(
            country=s["country"].upper(),
            days=s["days"],
            cities=s.get("cities") or "",
            major_event=bool(s.get("major_event")),
        )
        for s in rows
    ]


@dataclass
class OutboundInput:
    """The shape of an outbound dossier as forms and the API deliver it (already typed)."""

    kind: str
    purpose_category: str
    purpose: str
    departure_date: date
    return_date: date
    funding_source: str
    members: list[MemberInput] = field(default_factory=list)
    itinerary: list[StopInput] = field(default_factory=list)
    expected_results: str = ""
    inviter_name: str = ""
    inviter_country: str = ""
    inviter_is_enterprise: bool = False
    named_invitation: bool = False
    sponsored_by_enterprise: bool = False
    tied_to_contract: bool = False
    funding_details: str = ""
    estimated_cost: int = 0
    work_programme: str = ""
    presentation_abroad: bool = False
    presentation_text: str = ""
    head_appraisal: str = ""
    partner_id: int | None = None
    agreement_id: int | None = None

    SCALAR_FIELDS = (
        "kind",
        "purpose_category",
        "purpose",
        "departure_date",
        "return_date",
        "funding_source",
        "expected_results",
        "inviter_name",
        "inviter_country",
        "inviter_is_enterprise",
        "named_invitation",
        "sponsored_by_enterprise",
        "tied_to_contract",
        "funding_details",
        "estimated_cost",
        "work_programme",
        "presentation_abroad",
        "presentation_text",
        "head_appraisal",
        "partner_id",
        "agreement_id",
    )


def _validate(data: OutboundInput, *, actor: User, unit: Unit) -> list[Person]:
    errors: dict[str, list[str]] = {}

    def add(field_name: str, message: str) -> None:
        errors.setdefault(field_name, []).append(message)

    if data.kind not in TripKind.values:
        add("kind", _("Loại chuyến đi không hợp lệ."))
    if data.purpose_category not in PurposeCategory.values:
        add("purpose_category", _("Mục đích không hợp lệ."))
    if data.funding_source not in FundingSource.values:
        add("funding_source", _("Nguồn kinh phí không hợp lệ."))
    if not data.purpose.strip():
        add("purpose", _("Vui lòng nêu nội dung, mục đích chuyến đi."))
    if data.return_date < data.departure_date:
        add("return_date", _("Ngày về phải sau hoặc trùng ngày đi."))
    dates = (("departure_date", data.departure_date), ("return_date", data.return_date))
    for name, messages in dates_outside_window(dates).items():
        errors.setdefault(name, []).extend(messages)
    if data.inviter_country and not is_country(data.inviter_country):
        add("inviter_country", unknown_country_message(data.inviter_country))
    if data.estimated_cost < 0:
        add("estimated_cost", _("Dự toán không được âm."))
    for i, stop in enumerate(data.itinerary, start=1):
        if not is_country(stop.country):
            add(
                "itinerary",
                _("Dòng %(n)s: %(message)s")
                % {"n": i, "message": unknown_country_message(stop.country)},
            )
        if stop.days <= 0:
            add("itinerary", _("Dòng %(n)s: số ngày phải lớn hơn 0.") % {"n": i})
    person_ids = [m.person_id for m in data.members]
    if len(set(person_ids)) != len(person_ids):
        add("members", _("Một người chỉ được có tên một lần trong đoàn."))
    if sum(1 for m in data.members if m.role == MemberRole.HEAD) > 1:
        add("members", _("Đoàn chỉ có một trưởng đoàn."))
    people = list(Person.objects.filter(pk__in=person_ids).select_related("unit"))
    allowed = {u.pk for u in filing_units(actor)}
    own = person_of(actor)
    outside = [p for p in people if p.unit_id not in allowed and (own is None or p.pk != own.pk)]
    if outside or len(people) != len(set(person_ids)):
        # One message whether the person does not exist or belongs to a unit the filer may not
        # file for: the answer must reveal neither who exists nor their names.
        add(
            "members",
            _(
                "Có thành viên không có trong danh bạ của đơn vị bạn được lập hồ sơ; chỉ chọn "
                "cán bộ của đơn vị mình."
            ),
        )
    link_error = agreement_link_error(data.agreement_id, unit)
    if link_error:
        add("agreement", link_error)
    passport_ids = [m.passport_id for m in data.members if m.passport_id]
    passports = {p.pk: p for p in Passport.objects.filter(pk__in=passport_ids)}
    for member in data.members:
        if member.passport_id and (
            member.passport_id not in passports
            or passports[member.passport_id].person_id != member.person_id
        ):
            add("members", _("Hộ chiếu được chọn không thuộc về thành viên này."))
    if errors:
        raise ValidationError(errors)
    return people


def _write_children(
    request: OutboundRequest, data: OutboundInput, *, actor: User, before: Any = None
) -> list[OutboundMember]:
    """Itinerary rewritten; members updated in place by person (their confirmation stays
    unless the trip's terms or their role changed). Returns the people asked to confirm."""
    request.itinerary.all().delete()
    OutboundStop.objects.bulk_create(
        [
            OutboundStop(
                request=request,
                order=i,
                country=s.country.upper(),
                days=s.days,
                cities=s.cities,
                major_event=s.major_event,
            )
            for i, s in enumerate(data.itinerary)
        ]
    )
    return members_sync(
        actor=actor,
        request=request,
        members=data.members,
        terms_changed=before is not None and trip_terms(request) != before,
    )


def outbound_snapshot(request: OutboundRequest) -> dict[str, Any]:
    """The dossier's content as JSON-able data, for audit before/after values."""
    snapshot = {name: getattr(request, name) for name in OutboundInput.SCALAR_FIELDS}
    snapshot["status"] = request.status
    snapshot["members"] = [
        [m.person_id, m.role, m.passport_id, m.confirmation] for m in request.members.all()
    ]
    snapshot["itinerary"] = [[s.country, s.days, s.cities] for s in request.itinerary.all()]
    return snapshot


@transaction.atomic
def outbound_create(
    *, actor: User, data: OutboundInput, unit: Unit | None = None
) -> OutboundRequest:
    """Save a new draft. The unit defaults to the actor's own unit."""
    unit = filing_unit(actor, unit)
    _validate(data, actor=actor, unit=unit)
    request = OutboundRequest(unit=unit, created_by=actor)
    for name in OutboundInput.SCALAR_FIELDS:
        setattr(request, name, getattr(data, name))
    request.save()
    asked = _write_children(request, data, actor=actor)
    confirmations_ask(request, asked)
    audit_created(
        actor=actor, action="outbound.created", obj=request, snapshot=outbound_snapshot(request)
    )
    return request


@transaction.atomic
def outbound_update(
    *,
    actor: User,
    request: OutboundRequest,
    data: OutboundInput,
    version: int | None = None,
) -> OutboundRequest:
    """Replace the dossier's content while it is a draft or returned."""
    request = request_lock_for_edit(actor=actor, request=request, version=version)
    _validate(data, actor=actor, unit=request.unit)
    before = outbound_snapshot(request)
    terms = trip_terms(request)
    for name in OutboundInput.SCALAR_FIELDS:
        setattr(request, name, getattr(data, name))
    request.version += 1
    request.save()
    asked = _write_children(request, data, actor=actor, before=terms)
    confirmations_ask(request, asked)
    audit_updated(
        actor=actor,
        action="outbound.updated",
        obj=request,
        before=before,
        after=outbound_snapshot(request),
    )
    return request
