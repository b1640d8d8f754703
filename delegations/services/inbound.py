"""State changes of inbound visits before submission: create, edit, replace the visitor list.

Each service is keyword-only, atomic, checks the state first and writes an audit event.
Submission lives in :mod:`delegations.services.submission`, the decisions in
:mod:`delegations.services.decisions` and the visit's life in :mod:`delegations.services.visits`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from config.countries import is_country, unknown_country_message
from config.errors import ValidationError
from delegations.models import (
    AccommodationKind,
    GuestLevel,
    InboundPurpose,
    InboundVisit,
    Visitor,
)
from delegations.models.dates import dates_outside_window
from delegations.privacy import mask_passport
from delegations.selectors import agreement_link_error
from delegations.services.common import (
    audit_created,
    audit_updated,
    documents_kept_as_issued,
    ensure_can_edit,
    filing_unit,
    request_lock,
    request_lock_for_edit,
)
from org.models import Unit


@dataclass
class VisitorInput:
    full_name: str
    nationality: str = ""
    passport_number: str = ""
    passport_expiry: datetime.date | None = None
    date_of_birth: datetime.date | None = None
    organisation: str = ""
    title: str = ""


@dataclass
class InboundInput:
    """The shape of an inbound dossier as forms and the API deliver it (already typed)."""

    organisation: str
    country: str
    purpose_category: str
    purpose: str
    arrival_date: datetime.date
    departure_date: datetime.date
    visitors: list[VisitorInput] = field(default_factory=list)
    programme: str = ""
    venues: str = ""
    interpreter: str = ""
    press_coverage: bool = False
    sponsor: str = ""
    enterprise_involved: bool = False
    involves_student_recruitment: bool = False
    involves_advertising: bool = False
    is_conference: bool = False
    senior_guest_level: str = ""
    prime_minister_decides: bool = False
    accommodation_kind: str = ""
    accommodation_address: str = ""
    agreement_id: int | None = None

    SCALAR_FIELDS = (
        "organisation",
        "country",
        "purpose_category",
        "purpose",
        "arrival_date",
        "departure_date",
        "programme",
        "venues",
        "interpreter",
        "press_coverage",
        "sponsor",
        "enterprise_involved",
        "involves_student_recruitment",
        "involves_advertising",
        "is_conference",
        "senior_guest_level",
        "prime_minister_decides",
        "accommodation_kind",
        "accommodation_address",
        "agreement_id",
    )


def is_country_code(value: str) -> bool:
    """An ISO 3166-1 alpha-2 code of an existing country (``config.countries``), any case."""
    return is_country(value)


def visitor_errors(visitors: list[VisitorInput]) -> list[str]:
    """Problems of a visitor list, one message per visitor and problem ("Khách 2: ...")."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, v in enumerate(visitors, start=1):

        def add(message: str, n: int = i) -> None:
            problems.append(_("Khách %(n)s: %(message)s") % {"n": n, "message": message})

        if not v.full_name.strip():
            add(_("thiếu họ tên."))
        if v.nationality and not is_country_code(v.nationality):
            add(
                _("quốc tịch “%(value)s” không phải mã quốc gia (ISO 3166-1), ví dụ JP, KR.")
                % {"value": v.nationality}
            )
        number = v.passport_number.strip().upper()
        if number and number in seen:
            add(_("số hộ chiếu trùng với khách %(other)s.") % {"other": seen[number]})
        elif number:
            seen[number] = i
        if v.date_of_birth and v.passport_expiry and v.passport_expiry <= v.date_of_birth:
            add(_("ngày hết hạn hộ chiếu phải sau ngày sinh."))
        if v.date_of_birth and v.date_of_birth > timezone.localdate():
            add(_("ngày sinh không thể sau hôm nay."))
    return problems


def _validate(data: InboundInput, unit: Unit) -> None:
    errors: dict[str, list[str]] = {}

    def add(field_name: str, message: str) -> None:
        errors.setdefault(field_name, []).append(message)

    link_error = agreement_link_error(data.agreement_id, unit)
    if link_error:
        add("agreement", link_error)

    if not data.organisation.strip():
        add("organisation", _("Vui lòng nêu cơ quan, tổ chức nước ngoài."))
    if not is_country_code(data.country):
        add("country", unknown_country_message(data.country))
    if data.purpose_category not in InboundPurpose.values:
        add("purpose_category", _("Mục đích không hợp lệ."))
    if not data.purpose.strip():
        add("purpose", _("Vui lòng nêu nội dung, mục đích làm việc."))
    if data.departure_date < data.arrival_date:
        add("departure_date", _("Ngày đoàn về phải sau hoặc trùng ngày đoàn đến."))
    dates = (("arrival_date", data.arrival_date), ("departure_date", data.departure_date))
    for name, messages in dates_outside_window(dates).items():
        errors.setdefault(name, []).extend(messages)
    if data.senior_guest_level not in GuestLevel.values:
        add("senior_guest_level", _("Cấp khách không hợp lệ."))
    if data.accommodation_kind not in AccommodationKind.values:
        add("accommodation", _("Nơi lưu trú không hợp lệ."))
    for message in visitor_errors(data.visitors):
        add("visitors", message)
    if errors:
        raise ValidationError(errors)


def write_visitors(visit: InboundVisit, visitors: list[VisitorInput]) -> None:
    """Replace the visitor list (the roster is always written whole)."""
    visit.visitors.all().delete()
    Visitor.objects.bulk_create(
        [
            Visitor(
                visit=visit,
                order=i,
                full_name=v.full_name.strip(),
                nationality=v.nationality.upper(),
                passport_number=v.passport_number.strip().upper(),
                passport_expiry=v.passport_expiry,
                date_of_birth=v.date_of_birth,
                organisation=v.organisation.strip(),
                title=v.title.strip(),
            )
            for i, v in enumerate(visitors)
        ]
    )


def visitor_inputs(visit: InboundVisit) -> list[VisitorInput]:
    """The stored roster in the input shape (to amend or re-validate it)."""
    return [
        VisitorInput(
            full_name=v.full_name,
            nationality=v.nationality,
            passport_number=v.passport_number,
            passport_expiry=v.passport_expiry,
            date_of_birth=v.date_of_birth,
            organisation=v.organisation,
            title=v.title,
        )
        for v in visit.visitors.order_by("order", "pk")
    ]


def roster_snapshot(visit: InboundVisit) -> list[list[Any]]:
    """The roster for audit before/after values (passport numbers masked)."""
    return [
        [v.full_name, v.nationality, mask_passport(v.passport_number), v.passport_expiry]
        for v in visit.visitors.order_by("order", "pk")
    ]


def inbound_snapshot(visit: InboundVisit) -> dict[str, Any]:
    """The dossier's content as JSON-able data, for audit before/after values."""
    snapshot = {name: getattr(visit, name) for name in InboundInput.SCALAR_FIELDS}
    snapshot["status"] = visit.status
    snapshot["visitors"] = roster_snapshot(visit)
    return snapshot


def _apply(visit: InboundVisit, data: InboundInput) -> None:
    for name in InboundInput.SCALAR_FIELDS:
        setattr(visit, name, getattr(data, name))
    visit.country = data.country.upper()


@transaction.atomic
def inbound_create(*, actor: User, data: InboundInput, unit: Unit | None = None) -> InboundVisit:
    """Save a new draft. The host unit defaults to the actor's own unit."""
    unit = filing_unit(actor, unit)
    _validate(data, unit)
    visit = InboundVisit(unit=unit, created_by_id=actor.pk)
    _apply(visit, data)
    visit.save()
    write_visitors(visit, data.visitors)
    audit_created(
        actor=actor, action="inbound.created", obj=visit, snapshot=inbound_snapshot(visit)
    )
    return visit


@transaction.atomic
def inbound_update(
    *,
    actor: User,
    visit: InboundVisit,
    data: InboundInput,
    version: int | None = None,
) -> InboundVisit:
    """Replace the dossier's content while it is a draft or returned."""
    visit = request_lock_for_edit(actor=actor, request=visit, version=version)
    _validate(data, visit.unit)
    before = inbound_snapshot(visit)
    _apply(visit, data)
    visit.version += 1
    visit.save()
    write_visitors(visit, data.visitors)
    audit_updated(
        actor=actor,
        action="inbound.updated",
        obj=visit,
        before=before,
        after=inbound_snapshot(visit),
    )
    return visit


@transaction.atomic
def inbound_replace_visitors(
    *, actor: User, visit: InboundVisit, visitors: list[VisitorInput], source: str = ""
) -> InboundVisit:
    """Replace a draft's visitor list (the visitor-sheet import lands here)."""
    visit = request_lock(visit)
    ensure_can_edit(actor=actor, request=visit)
    documents_kept_as_issued(visit)
    problems = visitor_errors(visitors)
    if problems:
        raise ValidationError({"visitors": problems})
    before = roster_snapshot(visit)
    write_visitors(visit, visitors)
    visit.version += 1
    visit.save()
    audit_record(
        actor=actor, action="inbound.visitors_imported", obj=visit,
        before={"visitors": before},
        after={"visitors": roster_snapshot(visit), "count": len(visitors), "file": source},
    )  # fmt: skip
    return visit
