"""Rule-set versions: the dated, immutable parameter sets of the rule pack."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import optional_user_field
from config.memo import memoized
from workflow.rules.params import (
    JsonParams,
    as_param_set,
    default_params,
    merge_params,
    validate_params,
)


class RuleSetVersionImmutableError(Exception):
    """A rule-set version that may already have been applied cannot change."""


class RuleSetVersion(models.Model):
    """The rule pack's parameters in force from ``effective_from`` until the next version.

    ``params`` holds the complete parameter set (a snapshot: the administrator's changes merged
    over the version in force before it), so a version reads the same after the code defaults
    change. On reading it is merged over the current defaults, which only fills in parameters of
    rules added later. A saved version is never updated; a version not yet in force may be
    deleted, since no request can have been evaluated with it. Saving validates the parameters
    (:class:`workflow.rules.params.ParamErrors` on a bad value).
    """

    effective_from = models.DateField(_("ngày hiệu lực"), unique=True)
    params = models.JSONField(_("tham số"), default=dict)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_by = optional_user_field(_("người tạo"), on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản bộ quy tắc")
        verbose_name_plural = _("phiên bản bộ quy tắc")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return str(_("Bộ quy tắc hiệu lực từ %(day)s") % {"day": f"{self.effective_from:%d/%m/%Y}"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and RuleSetVersion.objects.filter(pk=self.pk).exists():
            raise RuleSetVersionImmutableError(
                _("Không được sửa phiên bản bộ quy tắc đã lưu; hãy tạo phiên bản mới.")
            )
        # Seeds and scripts bypass the admin form: a bad value must fail here, not at evaluation.
        self.params = validate_params(self.params)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if not self.is_future:
            raise RuleSetVersionImmutableError(
                _("Không được xóa phiên bản bộ quy tắc đã có hiệu lực.")
            )
        return super().delete(*args, **kwargs)

    @property
    def is_future(self) -> bool:
        return self.effective_from > timezone.localdate()


def ruleset_version_in_force(on: datetime.date) -> RuleSetVersion | None:
    """The latest version with ``effective_from <= on`` (one query)."""
    return RuleSetVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def ruleset_params_in_force(on: datetime.date) -> tuple[RuleSetVersion | None, JsonParams]:
    """The version in force on ``on`` and its parameters merged over the defaults.

    Without any version in force, the code defaults. Read once per unit of work
    (:mod:`config.memo`): a decision reads it for its stamp, due dates and notices.
    """
    version = memoized(("ruleset_version_in_force", on), lambda: ruleset_version_in_force(on))
    params = merge_params(default_params(), version.params if version else {})
    return version, params


def timing_params(on: datetime.date | None = None) -> dict[str, Any]:
    """The "timing" group of the rule set in force (step budgets, report and passport days...)."""
    _version, params = ruleset_params_in_force(on or timezone.localdate())
    return as_param_set(params).group("timing")


class InboxEntry(models.Model):
    """One open or finished human task, denormalised for the inbox at the department's scale.

    Written when viewflow creates a human task and kept in step on every save of the task
    (``workflow.inbox``): status, owner and the permission that may claim it are copied here with
    the request's reference, unit, applicant and the step's due date, so the inbox, the queue and
    the archive are single indexed queries with keyset pagination, whatever the number of tasks.
    """

    task = models.OneToOneField(
        "viewflow.Task", on_delete=models.CASCADE, primary_key=True, related_name="inbox_entry"
    )
    status = models.CharField(max_length=50, db_index=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_permission = models.CharField(max_length=255, blank=True)
    permission_unit_id = models.BigIntegerField(null=True, blank=True)
    step = models.CharField(max_length=64)
    request_kind = models.CharField(max_length=16)
    request_id = models.BigIntegerField()
    reference = models.CharField(max_length=64, blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    applicant_name = models.CharField(max_length=255, blank=True)
    due = models.DateField()
    created = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("công việc")
        verbose_name_plural = _("công việc")
        indexes = [
            models.Index(fields=["owner", "status", "due", "task"], name="inbox_owner_idx"),
            models.Index(
                fields=["owner_permission", "permission_unit_id", "status", "due", "task"],
                name="inbox_queue_idx",
            ),
            models.Index(fields=["request_kind", "request_id"], name="inbox_request_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.request_id} · {self.step}"
