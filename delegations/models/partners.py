"""The dossiers: foreign partners and agreements (MOUs); requests are added by their flows."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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


class Agreement(models.Model):
    """A memorandum of understanding (MOU) or agreement signed with a partner."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("đối tác"), on_delete=models.PROTECT, related_name="agreements"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị ký kết"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("tên văn bản"), max_length=255)
    signed_on = models.DateField(_("ngày ký"))
    expires_on = models.DateField(_("ngày hết hiệu lực"), null=True, blank=True)
    scope = models.TextField(_("nội dung hợp tác"), blank=True)

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
        return f"{self.title} ({self.signed_on:%d/%m/%Y})"
