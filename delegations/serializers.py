"""API shapes of outbound requests (see ../shared/spec/API.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from rest_framework import serializers

from config.api import IdField
from config.countries import COUNTRY_CODES, unknown_country_message
from delegations.models import (
    FundingSource,
    MemberRole,
    OutboundRequest,
    PurposeCategory,
    TripKind,
)
from delegations.models.dates import dates_outside_window
from delegations.models.outbound import OUTBOUND_TEXT_LIMITS
from delegations.services.outbound import OutboundInput, member_inputs, stop_inputs


class CountryCodeField(serializers.ChoiceField):
    """An ISO 3166-1 alpha-2 code of an existing country (any case in, upper case out).

    The OpenAPI schema lists the codes as an enum (``CountryCodeEnum``); a code that names no
    country is refused with a Vietnamese message that says what is expected.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=COUNTRY_CODES, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if data == "" and self.allow_blank:
            return ""
        code = str(data).strip().upper() if isinstance(data, str) else data
        if code not in self.choice_strings_to_values:
            raise serializers.ValidationError(unknown_country_message(str(data)))
        return str(code)


class MemberInSerializer(serializers.Serializer[Any]):
    person = IdField()
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)
    passport = IdField(required=False, allow_null=True)
    relative_of = IdField(required=False, allow_null=True)


class StopInSerializer(serializers.Serializer[Any]):
    country = CountryCodeField()
    days = serializers.IntegerField(min_value=1, max_value=365)
    cities = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    major_event = serializers.BooleanField(required=False, default=False)


class InviterSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    country = CountryCodeField(required=False, allow_blank=True, default="")
    is_enterprise = serializers.BooleanField(required=False, default=False)
    named_invitation = serializers.BooleanField(required=False, default=False)


TEXT_ERRORS: dict[str, StrOrPromise] = {"max_length": _("Tối đa {max_length} ký tự.")}


def _optional_text(name: str) -> serializers.CharField:
    """A free-text field that may be left out, as long as the model allows."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=OUTBOUND_TEXT_LIMITS[name],
        error_messages=TEXT_ERRORS,
    )


class OutboundInSerializer(serializers.Serializer[Any]):
    """What a client sends to create or replace a draft."""

    kind = serializers.ChoiceField(choices=TripKind.choices)
    purpose = serializers.CharField(
        max_length=OUTBOUND_TEXT_LIMITS["purpose"], error_messages=TEXT_ERRORS
    )
    purpose_category = serializers.ChoiceField(choices=PurposeCategory.choices)
    expected_results = _optional_text("expected_results")
    departure_date = serializers.DateField()
    return_date = serializers.DateField()
    members = MemberInSerializer(many=True, allow_empty=True, max_length=200)  # type: ignore[call-arg]
    itinerary = StopInSerializer(many=True, required=False, default=list, max_length=50)  # type: ignore[call-arg]
    inviter = InviterSerializer(required=False)
    funding_source = serializers.ChoiceField(choices=FundingSource.choices)
    funding_details = _optional_text("funding_details")
    estimated_cost = serializers.IntegerField(min_value=0, max_value=10**13, default=0)
    sponsored_by_enterprise = serializers.BooleanField(required=False, default=False)
    tied_to_contract = serializers.BooleanField(required=False, default=False)
    work_programme = _optional_text("work_programme")
    presentation_abroad = serializers.BooleanField(required=False, default=False)
    agreement = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    presentation_text = _optional_text("presentation_text")
    head_appraisal = _optional_text("head_appraisal")
    version = IdField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["return_date"] < attrs["departure_date"]:
            raise serializers.ValidationError(
                {"return_date": [_("Ngày về phải sau hoặc trùng ngày đi.")]}
            )
        dates = (("departure_date", attrs["departure_date"]), ("return_date", attrs["return_date"]))
        errors = dates_outside_window(dates)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def to_input(self) -> OutboundInput:
        data = self.validated_data
        inviter = data.get("inviter") or {}
        return OutboundInput(
            kind=data["kind"],
            purpose_category=data["purpose_category"],
            purpose=data["purpose"],
            expected_results=data.get("expected_results", ""),
            departure_date=data["departure_date"],
            return_date=data["return_date"],
            funding_source=data["funding_source"],
            funding_details=data.get("funding_details", ""),
            estimated_cost=data.get("estimated_cost", 0),
            members=member_inputs(data["members"]),
            itinerary=stop_inputs(data.get("itinerary", [])),
            inviter_name=inviter.get("name", ""),
            inviter_country=(inviter.get("country") or "").upper(),
            inviter_is_enterprise=inviter.get("is_enterprise", False),
            named_invitation=inviter.get("named_invitation", False),
            sponsored_by_enterprise=data.get("sponsored_by_enterprise", False),
            tied_to_contract=data.get("tied_to_contract", False),
            work_programme=data.get("work_programme", ""),
            presentation_abroad=data.get("presentation_abroad", False),
            agreement_id=data.get("agreement"),
            presentation_text=data.get("presentation_text", ""),
            head_appraisal=data.get("head_appraisal", ""),
        )


def outbound_summary(request: OutboundRequest) -> dict[str, Any]:
    """The list shape."""
    return {
        "id": request.pk,
        "reference": request.reference,
        "kind": request.kind,
        "status": request.status,
        "unit": request.unit.code,
        "route": request.route,
        "purpose": request.purpose,
        "departure_date": request.departure_date.isoformat(),
        "return_date": request.return_date.isoformat(),
    }


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class MembershipAnswerSerializer(serializers.Serializer[Any]):
    accept = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DateSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()


class ExtensionSerializer(serializers.Serializer[Any]):
    new_return_date = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class ReportSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=50000)


class PassportReturnedSerializer(serializers.Serializer[Any]):
    person = IdField()
    date = serializers.DateField()


class SubmitSerializer(serializers.Serializer[Any]):
    justifications = serializers.DictField(
        child=serializers.CharField(max_length=5000, allow_blank=True), required=False, default=dict
    )


class TaskCompleteSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=["approve", "return", "reject", "accept", "submit"])
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    missing_items = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, default=list, max_length=50
    )
    outcome = serializers.ChoiceField(choices=["approve", "reject"], required=False)
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    decision_date = serializers.DateField(required=False)
    text = serializers.CharField(required=False, allow_blank=True, max_length=50000)
