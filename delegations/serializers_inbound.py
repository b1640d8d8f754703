"""API shapes of inbound visits (see ../shared/spec/API.md, "Inbound visits")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api import IdField
from delegations.models import AccommodationKind, GuestLevel, InboundPurpose, InboundVisit
from delegations.models.dates import dates_outside_window
from delegations.serializers import CountryCodeField
from delegations.services.inbound import InboundInput, VisitorInput


class VisitorInSerializer(serializers.Serializer[Any]):
    full_name = serializers.CharField(max_length=255)
    nationality = CountryCodeField(required=False, allow_blank=True, default="")
    passport_number = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default=""
    )
    passport_expiry = serializers.DateField(required=False, allow_null=True, default=None)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    organisation = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    title = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


def visitor_input(data: dict[str, Any]) -> VisitorInput:
    return VisitorInput(
        full_name=data["full_name"],
        nationality=(data.get("nationality") or "").upper(),
        passport_number=data.get("passport_number") or "",
        passport_expiry=data.get("passport_expiry"),
        date_of_birth=data.get("date_of_birth"),
        organisation=data.get("organisation") or "",
        title=data.get("title") or "",
    )


def _at_most(visitors: list[Any], limit: int = 500) -> list[Any]:
    if len(visitors) > limit:
        raise serializers.ValidationError(_("Tối đa %(max)s khách mỗi hồ sơ.") % {"max": limit})
    return visitors


class AccommodationSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=AccommodationKind.choices, required=False, allow_blank=True, default=""
    )
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class InboundInSerializer(serializers.Serializer[Any]):
    """What a client sends to create or replace a draft visit."""

    host_unit = serializers.CharField(max_length=32, required=False, allow_blank=True)
    organisation = serializers.CharField(max_length=255)
    country = CountryCodeField()
    purpose_category = serializers.ChoiceField(choices=InboundPurpose.choices)
    purpose = serializers.CharField(max_length=5000)
    arrival_date = serializers.DateField()
    departure_date = serializers.DateField()
    visitors = VisitorInSerializer(many=True, required=False, default=list)
    programme = serializers.CharField(required=False, allow_blank=True, default="")
    venues = serializers.CharField(required=False, allow_blank=True, default="")
    interpreter = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    press_coverage = serializers.BooleanField(required=False, default=False)
    sponsor = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    enterprise_involved = serializers.BooleanField(required=False, default=False)
    involves_student_recruitment = serializers.BooleanField(required=False, default=False)
    involves_advertising = serializers.BooleanField(required=False, default=False)
    is_conference = serializers.BooleanField(required=False, default=False)
    agreement = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    senior_guest_level = serializers.ChoiceField(
        choices=GuestLevel.choices, required=False, allow_blank=True, default=""
    )
    prime_minister_decides = serializers.BooleanField(required=False, default=False)
    accommodation = AccommodationSerializer(required=False)
    version = IdField(required=False)

    def validate_visitors(self, value: list[Any]) -> list[Any]:
        return _at_most(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["departure_date"] < attrs["arrival_date"]:
            raise serializers.ValidationError(
                {"departure_date": [_("Ngày đoàn về phải sau hoặc trùng ngày đoàn đến.")]}
            )
        dates = (
            ("arrival_date", attrs["arrival_date"]),
            ("departure_date", attrs["departure_date"]),
        )
        errors = dates_outside_window(dates)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def to_input(self) -> InboundInput:
        data = self.validated_data
        accommodation = data.get("accommodation") or {}
        return InboundInput(
            organisation=data["organisation"],
            country=data["country"].upper(),
            purpose_category=data["purpose_category"],
            purpose=data["purpose"],
            arrival_date=data["arrival_date"],
            departure_date=data["departure_date"],
            visitors=[visitor_input(v) for v in data.get("visitors", [])],
            programme=data.get("programme", ""),
            venues=data.get("venues", ""),
            interpreter=data.get("interpreter", ""),
            press_coverage=data.get("press_coverage", False),
            sponsor=data.get("sponsor", ""),
            enterprise_involved=data.get("enterprise_involved", False),
            involves_student_recruitment=data.get("involves_student_recruitment", False),
            involves_advertising=data.get("involves_advertising", False),
            is_conference=data.get("is_conference", False),
            agreement_id=data.get("agreement"),
            senior_guest_level=data.get("senior_guest_level", ""),
            prime_minister_decides=data.get("prime_minister_decides", False),
            accommodation_kind=accommodation.get("kind", ""),
            accommodation_address=accommodation.get("address", ""),
        )


def inbound_summary(visit: InboundVisit) -> dict[str, Any]:
    """The list shape."""
    return {
        "id": visit.pk,
        "reference": visit.reference,
        "status": visit.status,
        "host_unit": visit.unit.code,
        "unit": visit.unit.code,
        "route": visit.route,
        "organisation": visit.organisation,
        "country": visit.country,
        "purpose_category": visit.purpose_category,
        "arrival_date": visit.arrival_date.isoformat(),
        "departure_date": visit.departure_date.isoformat(),
    }


class AmendSerializer(serializers.Serializer[Any]):
    """A change of an approved visit's roster or dates, with its reason."""

    reason = serializers.CharField(max_length=2000)
    visitors = VisitorInSerializer(many=True, required=False)

    def validate_visitors(self, value: list[Any]) -> list[Any]:
        return _at_most(value)

    arrival_date = serializers.DateField(required=False)
    departure_date = serializers.DateField(required=False)


class ResidenceSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class VisitorImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        error_messages={"required": _("Chọn tệp danh sách khách (.xlsx hoặc .csv).")}
    )
