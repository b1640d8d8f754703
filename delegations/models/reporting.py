"""Reporting rounds (đợt báo cáo): the Sở asks units for their foreign-affairs report.

A round names its period, its deadline, the units that must report and a template; each unit's
report (:class:`UnitReport`) goes through :class:`workflow.flows.unit_report.UnitReportFlow`:
the unit submits (figures pre-filled from its own data, narrative, attachment), its head
approves or returns it. The consolidated report sums the approved ones.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import optional_user_field, user_field
from org.models import Unit


class ReportingRound(models.Model):
    title = models.CharField(_("tên đợt báo cáo"), max_length=255)
    period_from = models.DateField(_("kỳ báo cáo từ ngày"))
    period_to = models.DateField(_("kỳ báo cáo đến ngày"))
    deadline = models.DateField(_("hạn nộp"))
    instructions = models.TextField(_("hướng dẫn"), blank=True)
    template = models.FileField(_("mẫu báo cáo"), upload_to="reporting/templates/", blank=True)
    opened_by = user_field(_("người mở đợt"))  # fmt: skip
    opened_at = models.DateTimeField(_("thời điểm mở"), default=timezone.now)

    class Meta:
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")),
                name="round_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class UnitReportStatus(models.TextChoices):
    PENDING = "pending", _("Chưa nộp")
    SUBMITTED = "submitted", _("Đã nộp, chờ thủ trưởng duyệt")
    RETURNED = "returned", _("Thủ trưởng trả lại")
    APPROVED = "approved", _("Đã duyệt")


def unit_report_file_path(instance: UnitReport, filename: str) -> str:
    return f"reporting/{instance.round_id}/{instance.unit_id}/{filename}"


class UnitReport(models.Model):
    """One unit's report in a round."""

    request_kind = "unit_report"

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("đợt báo cáo"), on_delete=models.CASCADE,
        related_name="reports",
    )  # fmt: skip
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=UnitReportStatus.choices,
        default=UnitReportStatus.PENDING,
    )  # fmt: skip
    figures = models.JSONField(_("số liệu"), default=dict, blank=True)
    results = models.TextField(_("kết quả đạt được"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    recommendations = models.TextField(_("kiến nghị, đề xuất"), blank=True)
    attachment = models.FileField(
        _("tệp đính kèm"), upload_to=unit_report_file_path, blank=True, max_length=255
    )
    created_by = optional_user_field(_("người nộp"))  # fmt: skip
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    approved_at = models.DateTimeField(_("thời điểm duyệt"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["round", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="unit_report_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.unit}"

    @property
    def reference(self) -> str:
        return f"BC-{self.round_id}-{self.unit.code}"

    @property
    def due_on(self) -> datetime.date:
        """The round's deadline: the due date of the unit's task (inbox, reminders)."""
        return self.round.deadline
