"""The dossiers: foreign partners and agreements (MOUs); requests are added by their flows."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import optional_user_field
from org.models import Unit


class Partner(models.Model):
    """A foreign organisation the department or a school works with."""

    name = models.CharField(_("tên đối tác"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    country = models.CharField(_("quốc gia (ISO 3166-1)"), max_length=2)
    is_enterprise = models.BooleanField(_("là doanh nghiệp"), default=False)
    website = models.URLField(_("trang web"), blank=True)

    class Meta:
        verbose_name = _("đối tác nước ngoài")
        verbose_name_plural = _("đối tác nước ngoài")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="partner_name_country_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    """Proposed → approved → in force → expiring → expired; terminated ends it early."""

    PROPOSED = "proposed", _("Đề xuất")
    APPROVED = "approved", _("Đã được chấp thuận")
    IN_FORCE = "in_force", _("Đang có hiệu lực")
    EXPIRING = "expiring", _("Sắp hết hiệu lực")
    EXPIRED = "expired", _("Hết hiệu lực")
    TERMINATED = "terminated", _("Chấm dứt")
    REJECTED = "rejected", _("Không chấp thuận")


#: Days before the expiry date at which the responsible unit is reminded (and the MOU is
#: "expiring" from the first of them).
EXPIRY_REMINDER_DAYS = (90, 30)


class Agreement(models.Model):
    """A memorandum of understanding (MOU) or agreement signed with a partner."""

    request_kind = "agreement"

    partner = models.ForeignKey(
        Partner, verbose_name=_("đối tác"), on_delete=models.PROTECT, related_name="agreements"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị ký kết"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("tên văn bản"), max_length=255)
    parties = models.TextField(_("các bên ký kết"), blank=True)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    expires_on = models.DateField(_("ngày hết hiệu lực"), null=True, blank=True)
    terminated_on = models.DateField(_("ngày chấm dứt"), null=True, blank=True)
    scope = models.TextField(_("nội dung hợp tác"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.IN_FORCE,
        db_index=True,
    )
    created_by = optional_user_field(_("người đề xuất"))
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("biên bản ghi nhớ / thỏa thuận")
        verbose_name_plural = _("biên bản ghi nhớ / thỏa thuận")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("signed_on")),
                name="agreement_expires_after_signing",
            ),
            models.UniqueConstraint(
                fields=["partner", "unit", "signed_on"], name="agreement_unique_per_day"
            ),
        ]

    def __str__(self) -> str:
        if self.signed_on is None:
            return self.title
        return f"{self.title} ({self.signed_on:%d/%m/%Y})"

    @property
    def reference(self) -> str:
        """How tasks, notices and the audit log name it."""
        return f"MOU-{self.pk}" if self.pk else ""

    @property
    def starts_on(self) -> datetime.date | None:
        """The first day in force: the effective date, else the signing date."""
        return self.effective_on or self.signed_on

    @property
    def ends_on(self) -> datetime.date | None:
        """The last day in force: termination, else expiry, else open."""
        if self.terminated_on and (not self.expires_on or self.terminated_on < self.expires_on):
            return self.terminated_on
        return self.expires_on

    def status_on(self, day: datetime.date) -> str:
        """The status the dates give on ``day`` (proposals and refusals keep theirs)."""
        if self.status in (
            AgreementStatus.PROPOSED,
            AgreementStatus.REJECTED,
            AgreementStatus.TERMINATED,
        ):
            return self.status
        start = self.starts_on
        if start is None or start > day:
            return AgreementStatus.APPROVED
        if self.expires_on is not None:
            if self.expires_on < day:
                return AgreementStatus.EXPIRED
            if (self.expires_on - day).days <= max(EXPIRY_REMINDER_DAYS):
                return AgreementStatus.EXPIRING
        return AgreementStatus.IN_FORCE


def agreement_file_path(instance: AgreementFile, filename: str) -> str:
    return f"agreements/{instance.agreement_id}/{filename}"


class AgreementFile(models.Model):
    """A file of an MOU: the signed text, an annex, a proposal."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("biên bản ghi nhớ"), on_delete=models.CASCADE,
        related_name="files",
    )  # fmt: skip
    file = models.FileField(_("tệp"), upload_to=agreement_file_path, max_length=255)
    name = models.CharField(_("tên tệp"), max_length=255)
    uploaded_by = optional_user_field(_("người tải lên"))  # fmt: skip
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now)

    class Meta:
        verbose_name = _("tệp biên bản ghi nhớ")
        verbose_name_plural = _("tệp biên bản ghi nhớ")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class AgreementActivity(models.Model):
    """An activity carried out under an MOU that is not a linked trip or visit (a webinar, an
    exchange of materials, a joint class). Linked trips and visits are activities by their link
    (``OutboundRequest.agreement``, ``InboundVisit.agreement``)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("biên bản ghi nhớ"), on_delete=models.CASCADE,
        related_name="activities",
    )  # fmt: skip
    held_on = models.DateField(_("ngày thực hiện"))
    description = models.CharField(_("nội dung hoạt động"), max_length=500)
    created_by = optional_user_field(_("người ghi"))  # fmt: skip
    created_at = models.DateTimeField(_("thời điểm ghi"), default=timezone.now)

    class Meta:
        verbose_name = _("hoạt động triển khai biên bản ghi nhớ")
        verbose_name_plural = _("hoạt động triển khai biên bản ghi nhớ")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return self.description


class AgreementAlert(models.Model):
    """A reminder that an MOU expires in ``days_before`` days: unique, so it is sent once."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField(_("số ngày trước hạn"))
    expires_on = models.DateField(_("ngày hết hiệu lực"))
    recipients = models.JSONField(_("người nhận"), default=list)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("nhắc hạn biên bản ghi nhớ")
        verbose_name_plural = _("nhắc hạn biên bản ghi nhớ")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "days_before", "expires_on"], name="agreement_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} -{self.days_before}"
