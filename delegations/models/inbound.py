"""Inbound visits (đoàn vào): a foreign delegation received by a school or office."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.fields import optional_link
from delegations.models.common import (
    DelegationRequest,
    request_constraints,
    request_indexes,
)
from delegations.models.partners import Agreement


class InboundStatus(models.TextChoices):
    """The shared statuses (same values as ``RequestStatus``) plus the visit's own."""

    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đang xét duyệt")
    RETURNED = "returned", _("Trả lại để bổ sung")
    APPROVED = "approved", _("Đã phê duyệt")
    REJECTED = "rejected", _("Không phê duyệt")
    WITHDRAWN = "withdrawn", _("Đã rút")
    CANCELLED = "cancelled", _("Đã hủy")
    VISITING = "visiting", _("Đoàn đang làm việc")
    VISIT_ENDED = "visit_ended", _("Đoàn đã về")
    CLOSED = "closed", _("Đã kết thúc")


class InboundPurpose(models.TextChoices):
    VISIT = "visit", _("Thăm, giao lưu")
    TEACHING = "teaching", _("Giảng dạy")
    INTERNSHIP = "internship", _("Thực tập")
    STUDY = "study", _("Học tập")
    COOPERATION = "cooperation", _("Tìm hiểu hợp tác")
    CONFERENCE = "conference", _("Hội nghị, hội thảo")
    OTHER = "other", _("Khác")


class GuestLevel(models.TextChoices):
    NONE = "", _("—")
    MINISTER = "minister", _("Bộ trưởng hoặc tương đương")
    VICE_MINISTER = "vice_minister", _("Thứ trưởng hoặc tương đương")
    AMBASSADOR = "ambassador", _("Đại sứ, Tổng Lãnh sự")
    OTHER = "other", _("Khác")


class AccommodationKind(models.TextChoices):
    NONE = "", _("—")
    HOTEL = "hotel", _("Khách sạn, cơ sở lưu trú")
    HOST = "host", _("Đơn vị đón bố trí")


class InboundVisit(DelegationRequest):
    """A request to receive foreign visitors; ``unit`` is the host unit."""

    request_kind = "inbound"
    draft_name = _("Đoàn vào (nháp #%(id)s)")

    status = models.CharField(
        _("trạng thái"), max_length=16, choices=InboundStatus.choices, default=InboundStatus.DRAFT
    )
    organisation = models.CharField(_("cơ quan, tổ chức nước ngoài"), max_length=255)
    country = models.CharField(_("quốc gia"), max_length=2)
    purpose_category = models.CharField(
        _("mục đích"), max_length=16, choices=InboundPurpose.choices
    )
    purpose = models.TextField(_("nội dung, mục đích làm việc"))
    arrival_date = models.DateField(_("ngày đoàn đến"))
    departure_date = models.DateField(_("ngày đoàn về"))
    programme = models.TextField(_("chương trình làm việc (ngày, giờ, nội dung)"), blank=True)
    venues = models.TextField(_("địa điểm làm việc tại đơn vị"), blank=True)
    interpreter = models.CharField(_("phiên dịch"), max_length=255, blank=True)
    press_coverage = models.BooleanField(_("có báo chí đưa tin"), default=False)
    sponsor = models.CharField(_("nhà tài trợ"), max_length=255, blank=True)
    enterprise_involved = models.BooleanField(_("có doanh nghiệp tham gia"), default=False)
    involves_student_recruitment = models.BooleanField(
        _("có tư vấn du học, quảng bá học bổng cho học sinh"), default=False
    )
    involves_advertising = models.BooleanField(_("có quảng cáo thương mại"), default=False)
    is_conference = models.BooleanField(_("hội nghị, hội thảo quốc tế"), default=False)
    agreement = optional_link(Agreement, _("biên bản ghi nhớ"))
    senior_guest_level = models.CharField(
        _("cấp khách cao nhất"), max_length=16, choices=GuestLevel.choices, blank=True
    )
    prime_minister_decides = models.BooleanField(
        _("thuộc thẩm quyền Thủ tướng Chính phủ"), default=False
    )
    accommodation_kind = models.CharField(
        _("nơi lưu trú"), max_length=8, choices=AccommodationKind.choices, blank=True
    )
    accommodation_address = models.CharField(_("địa chỉ lưu trú"), max_length=500, blank=True)
    residence_declared_at = models.DateTimeField(
        _("đã khai báo tạm trú lúc"), null=True, blank=True
    )
    actual_arrival = models.DateField(_("ngày đến thực tế"), null=True, blank=True)
    actual_departure = models.DateField(_("ngày về thực tế"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ đoàn vào")
        verbose_name_plural = _("hồ sơ đoàn vào")
        ordering = ["-created_at"]
        indexes = request_indexes("inbound", starts="arrival_date")
        constraints = request_constraints("inbound", starts="arrival_date", ends="departure_date")


class Visitor(models.Model):
    """A foreign guest of a visit; never a user of the product."""

    visit = models.ForeignKey(InboundVisit, on_delete=models.CASCADE, related_name="visitors")
    order = models.PositiveSmallIntegerField(default=0)
    full_name = models.CharField(_("họ tên"), max_length=255)
    nationality = models.CharField(_("quốc tịch"), max_length=2, blank=True)
    passport_number = models.CharField(_("số hộ chiếu"), max_length=32, blank=True)
    passport_expiry = models.DateField(_("ngày hết hạn hộ chiếu"), null=True, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    organisation = models.CharField(_("cơ quan, tổ chức"), max_length=255, blank=True)
    title = models.CharField(_("chức danh"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("khách")
        verbose_name_plural = _("danh sách khách")
        ordering = ["visit", "order", "id"]

    def __str__(self) -> str:
        return self.full_name
