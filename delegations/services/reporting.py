"""Reporting rounds: the Sở opens one; each unit submits its report, its head approves it.

Every change is audited. The figures a unit submits are computed by the caller from the unit's
own data (``approvals.record.reports``) and stored with the report, so that the consolidated
report sums exactly what each head approved.
"""

from __future__ import annotations

import datetime
from typing import Any, NotRequired, TypedDict

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import permissions
from approvals.audit import audit_record
from config.errors import PermissionDenied, StateConflict, ValidationError
from delegations.models import ReportingRound, UnitReport, UnitReportStatus
from delegations.services.attachments import _validate as validate_upload
from delegations.services.attachments import clean_file_name
from org.models import Unit, UnitKind
from workflow.steps import StepDecision

MAX_NARRATIVE = 20000
NARRATIVES = ("results", "difficulties", "recommendations")


def may_open_rounds(user: User | AnonymousUser) -> bool:
    """The department's reviewers and leaders open rounds and read every unit's report."""
    department = Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("pk").first()
    return department is not None and any(
        permissions.has_unit_permission(user, perm, department)
        for perm in (permissions.REVIEW_FOR_DEPARTMENT, permissions.DECIDE_FOR_DEPARTMENT)
    )


class RoundFields(TypedDict):
    """A round as the department opens it: ``reporting_round_create``'s fields."""

    title: str
    period_from: datetime.date
    period_to: datetime.date
    deadline: datetime.date
    units: list[Unit]
    instructions: NotRequired[str]
    template: NotRequired[UploadedFile | None]


@transaction.atomic
def reporting_round_create(
    *,
    actor: User,
    title: str,
    period_from: datetime.date,
    period_to: datetime.date,
    deadline: datetime.date,
    units: list[Unit],
    instructions: str = "",
    template: UploadedFile | None = None,
    today: datetime.date | None = None,
) -> ReportingRound:
    """A new round and one pending report per unit (the caller starts their flows)."""
    if not may_open_rounds(actor):
        raise PermissionDenied(_("Chỉ Sở được mở đợt báo cáo."))
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not title.strip() or len(title) > 255:
        errors["title"] = [_("Vui lòng nêu tên đợt báo cáo (tối đa 255 ký tự).")]
    if period_to < period_from:
        errors["period_to"] = [_("Ngày cuối kỳ phải sau ngày đầu kỳ.")]
    if deadline < today:
        errors["deadline"] = [_("Hạn nộp không được ở trong quá khứ.")]
    if not units:
        errors["units"] = [_("Chọn ít nhất một đơn vị phải báo cáo.")]
    if len(instructions) > MAX_NARRATIVE:
        errors["instructions"] = [_("Hướng dẫn quá dài.")]
    if errors:
        raise ValidationError(errors)
    round_ = ReportingRound(
        title=title.strip(), period_from=period_from, period_to=period_to, deadline=deadline,
        instructions=instructions.strip(), opened_by=actor,
    )  # fmt: skip
    if template is not None:
        validate_upload("other", template)
        round_.template.save(clean_file_name(template.name or "mau"), template, save=False)
    round_.save()
    UnitReport.objects.bulk_create(
        [
            UnitReport(round=round_, unit=unit, created_by=actor)
            for unit in {u.pk: u for u in units}.values()
        ]
    )
    audit_record(
        actor=actor, action="reporting.round_opened", obj=round_,
        after={"period": [period_from, period_to], "deadline": deadline,
               "units": sorted(u.code for u in units)},
    )  # fmt: skip
    return round_


def _submit(report: UnitReport, actor: User, fields: dict[str, Any]) -> None:
    figures = fields.get("figures")
    if not isinstance(figures, dict):
        raise ValidationError({"figures": [_("Thiếu số liệu báo cáo.")]})
    texts = {name: str(fields.get(name) or "").strip() for name in NARRATIVES}
    errors: dict[str, list[str]] = {}
    if not texts["results"]:
        errors["results"] = [_("Vui lòng nêu kết quả đạt được.")]
    for name, text in texts.items():
        if len(text) > MAX_NARRATIVE:
            errors[name] = [_("Tối đa 20000 ký tự.")]
    if errors:
        raise ValidationError(errors)
    upload = fields.get("attachment")
    if upload is not None:
        validate_upload("other", upload)
        report.attachment.save(clean_file_name(upload.name or "bao-cao"), upload, save=False)
    report.figures = figures
    report.results, report.difficulties = texts["results"], texts["difficulties"]
    report.recommendations = texts["recommendations"]
    report.status = UnitReportStatus.SUBMITTED
    at = fields.get("at")
    report.submitted_at = at if isinstance(at, datetime.datetime) else timezone.now()
    report.created_by = actor


def unit_report_step(*, request: UnitReport, decision: StepDecision) -> None:
    """``DECISION_HANDLERS`` entry of the unit-report flow (the engine holds the locks)."""
    actor, comment = decision.actor, decision.comment
    report = (
        UnitReport.objects.select_for_update().select_related("round", "unit").get(pk=request.pk)
    )
    before = {"status": report.status}
    if decision.step.name == "submit_unit_report":
        if report.status not in (UnitReportStatus.PENDING, UnitReportStatus.RETURNED):
            raise StateConflict(_("Báo cáo này đã được nộp."))
        _submit(report, actor.user, decision.fields)
        event = "unit_report.submitted"
    elif decision.action == "approve":
        report.status, report.approved_at = UnitReportStatus.APPROVED, timezone.now()
        event = "unit_report.approved"
    else:
        if not comment:
            raise ValidationError({"comment": [_("Vui lòng nêu nội dung cần sửa.")]})
        report.status = UnitReportStatus.RETURNED
        event = "unit_report.returned"
    report.save()
    request.status = report.status
    audit_record(
        actor=actor.user, action=event, obj=report, before=before, comment=comment,
        after={"status": report.status, "figures": report.figures,
               "late": report.submitted_at is not None
               and timezone.localtime(report.submitted_at).date() > report.round.deadline},
    )  # fmt: skip
