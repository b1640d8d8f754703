"""Outbound requests (đoàn ra): a delegation, its itinerary and its funding."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from config.fields import optional_link
from delegations.models.common import (
    DelegationRequest,
    request_constraints,
    request_indexes,
)
from delegations.models.partners import Agreement, Partner
from org.models import Passport, Person

#: Longest text each free-text field of an outbound request holds (characters). Forms, API
#: serializers, model validation and a database constraint all read this table.
OUTBOUND_TEXT_LIMITS: dict[str, int] = {
    "purpose": 5000,
    "expected_results": 5000,
    "funding_details": 5000,
    "work_programme": 20000,
    "presentation_text": 20000,
    "head_appraisal": 5000,
}


def _bounded_text(
    verbose_name: StrOrPromise, name: str, *, blank: bool = False
) -> models.TextField[str, str]:
    limit = OUTBOUND_TEXT_LIMITS[name]
    return models.TextField(
        verbose_name,
        blank=blank,
        max_length=limit,
        validators=[MaxLengthValidator(limit)],
    )


class TripKind(models.TextChoices):
    OFFICIAL = "official", _("Công vụ")
    PERSONAL = "personal", _("Việc riêng")


class PurposeCategory(models.TextChoices):
    CONFERENCE = "conference", _("Hội nghị, hội thảo")
    STUDY = "study", _("Học tập, khảo sát")
    TRAINING = "training", _("Đào tạo, bồi dưỡng")
    EXCHANGE = "exchange", _("Giao lưu, trao đổi")
    MOU = "mou", _("Ký kết hợp tác")
    FAMILY = "family", _("Thăm thân")
    TOURISM = "tourism", _("Du lịch")
    MEDICAL = "medical", _("Khám, chữa bệnh")
    OTHER = "other", _("Khác")


class FundingSource(models.TextChoices):
    STATE_BUDGET = "state_budget", _("Ngân sách nhà nước")
    UNIT_REVENUE = "unit_revenue", _("Nguồn thu của đơn vị")
    FOREIGN_PARTNER = "foreign_partner", _("Đối tác nước ngoài")
    PROJECT = "project", _("Dự án, hợp đồng")
    SELF = "self", _("Tự túc")
    ENTERPRISE = "enterprise", _("Doanh nghiệp tài trợ")


class MemberRole(models.TextChoices):
    HEAD = "head", _("Trưởng đoàn")
    MEMBER = "member", _("Thành viên")


class MemberConfirmation(models.TextChoices):
    """Whether a named person agreed to travel (docs/flows/outbound.md, "Who composes")."""

    NOT_NEEDED = "not_needed", _("Không cần xác nhận")
    PENDING = "pending", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận")


class OutboundRequest(DelegationRequest):
    """A request to travel abroad, for one person or a whole delegation."""

    request_kind = "outbound"
    draft_name = _("Đoàn ra (nháp #%(id)s)")

    kind = models.CharField(_("loại chuyến đi"), max_length=16, choices=TripKind.choices)
    purpose_category = models.CharField(
        _("mục đích"), max_length=16, choices=PurposeCategory.choices
    )
    purpose = _bounded_text(_("nội dung, mục đích chuyến đi"), "purpose")
    expected_results = _bounded_text(_("kết quả dự kiến"), "expected_results", blank=True)
    departure_date = models.DateField(_("ngày đi"))
    return_date = models.DateField(_("ngày về"))
    inviter_name = models.CharField(_("cơ quan, tổ chức mời"), max_length=255, blank=True)
    inviter_country = models.CharField(_("quốc gia của bên mời"), max_length=2, blank=True)
    inviter_is_enterprise = models.BooleanField(_("bên mời là doanh nghiệp"), default=False)
    named_invitation = models.BooleanField(_("thư mời đích danh"), default=False)
    partner = optional_link(Partner, _("đối tác"))
    agreement = optional_link(Agreement, _("biên bản ghi nhớ"))
    sponsored_by_enterprise = models.BooleanField(
        _("doanh nghiệp tài trợ chuyến đi"), default=False
    )
    tied_to_contract = models.BooleanField(_("gắn với hợp đồng, dự án"), default=False)
    funding_source = models.CharField(
        _("nguồn kinh phí"), max_length=16, choices=FundingSource.choices
    )
    funding_details = _bounded_text(_("chi tiết nguồn kinh phí"), "funding_details", blank=True)
    estimated_cost = models.PositiveBigIntegerField(_("dự toán (đồng)"), default=0)
    work_programme = _bounded_text(_("chương trình làm việc"), "work_programme", blank=True)
    presentation_abroad = models.BooleanField(
        _("có trình bày tham luận ở nước ngoài"), default=False
    )
    presentation_text = _bounded_text(
        _("nội dung tham luận, phát biểu"), "presentation_text", blank=True
    )
    head_appraisal = _bounded_text(
        _("ý kiến thẩm định của thủ trưởng"), "head_appraisal", blank=True
    )
    actual_departure = models.DateField(_("ngày xuất cảnh thực tế"), null=True, blank=True)
    actual_return = models.DateField(_("ngày nhập cảnh thực tế"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ đoàn ra")
        verbose_name_plural = _("hồ sơ đoàn ra")
        ordering = ["-created_at"]
        indexes = request_indexes("outbound", starts="departure_date")
        constraints = [
            *request_constraints("outbound", starts="departure_date", ends="return_date"),
            *(
                models.CheckConstraint(
                    condition=LessThanOrEqual(Length(field), limit),
                    name=f"outbound_{field}_length",
                )
                for field, limit in OUTBOUND_TEXT_LIMITS.items()
            ),
        ]


class OutboundMember(models.Model):
    request = models.ForeignKey(OutboundRequest, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="outbound_trips"
    )
    role = models.CharField(
        _("vai trò trong đoàn"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    passport = optional_link(Passport, _("hộ chiếu sử dụng"))
    relative_of = optional_link(Person, _("là người thân của"))
    confirmation = models.CharField(
        _("xác nhận tham gia"),
        max_length=16,
        choices=MemberConfirmation.choices,
        default=MemberConfirmation.NOT_NEEDED,
    )
    confirmation_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    passport_due_on = models.DateField(_("hạn nộp lại hộ chiếu"), null=True, blank=True)
    passport_returned_on = models.DateField(_("ngày nộp lại hộ chiếu"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên đoàn")
        verbose_name_plural = _("thành viên đoàn")
        ordering = ["request", "-role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="outbound_member_once")
        ]
        # A traveller's trips, newest first (the request lists' "I am a member" clause).
        indexes = [models.Index(fields=["person", "request"], name="outbound_member_trips")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class OutboundStop(models.Model):
    request = models.ForeignKey(OutboundRequest, on_delete=models.CASCADE, related_name="itinerary")
    order = models.PositiveSmallIntegerField(default=0)
    country = models.CharField(_("quốc gia"), max_length=2)
    days = models.PositiveSmallIntegerField(_("số ngày"))
    cities = models.CharField(_("thành phố"), max_length=255, blank=True)
    major_event = models.BooleanField(_("sự kiện lớn"), default=False)

    class Meta:
        verbose_name = _("lịch trình")
        verbose_name_plural = _("lịch trình")
        ordering = ["request", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(days__gt=0), name="stop_days_positive")]

    def __str__(self) -> str:
        return f"{self.country} ({self.days})"
