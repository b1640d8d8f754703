"""Pages of reporting rounds: the Sở opens a round and follows its board; a unit submits its
report with figures pre-filled from its own data; the consolidated report as XLSX or DOCX."""

from __future__ import annotations

import os
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy

from approvals.permissions import units_in_scope
from approvals.record.access import may_read_everything
from approvals.record.rounds import (
    board,
    consolidated,
    consolidated_docx,
    consolidated_xlsx,
    figure_labels,
    unit_figures,
    value_text,
)
from config.errors import PermissionDenied, StateConflict, ValidationError
from delegations.models import ReportingRound, UnitReport, UnitReportStatus
from delegations.services.reporting import may_open_rounds
from org.models import Unit, UnitKind
from workflow.selectors import tasks_for_request
from workflow.services import may_take, reporting_round_open, unit_report_submit

DATE = forms.DateInput(attrs={"type": "date"})


class RoundForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên đợt báo cáo"), max_length=255)
    period_from = forms.DateField(label=gettext_lazy("Kỳ báo cáo từ ngày"), widget=DATE)
    period_to = forms.DateField(label=gettext_lazy("Đến ngày"), widget=DATE)
    deadline = forms.DateField(label=gettext_lazy("Hạn nộp"), widget=DATE)
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Các đơn vị phải báo cáo"),
        queryset=Unit.objects.filter(kind__in=(UnitKind.SCHOOL, UnitKind.WARD)).order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    instructions = forms.CharField(
        label=gettext_lazy("Hướng dẫn"), required=False, max_length=20000, widget=forms.Textarea
    )
    template = forms.FileField(label=gettext_lazy("Mẫu báo cáo"), required=False)


class SubmitForm(forms.Form):
    results = forms.CharField(
        label=gettext_lazy("Kết quả đạt được"), max_length=20000, widget=forms.Textarea
    )
    difficulties = forms.CharField(
        label=gettext_lazy("Khó khăn, vướng mắc"), required=False, max_length=20000,
        widget=forms.Textarea,
    )  # fmt: skip
    recommendations = forms.CharField(
        label=gettext_lazy("Kiến nghị, đề xuất"), required=False, max_length=20000,
        widget=forms.Textarea,
    )  # fmt: skip
    attachment = forms.FileField(label=gettext_lazy("Tệp đính kèm"), required=False)


def _may_follow(user: Any) -> bool:
    return may_open_rounds(user) or may_read_everything(user)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """The rounds (the Sở: all, with the form to open one; a unit: its own reports)."""
    follows = _may_follow(request.user)
    form = RoundForm(request.POST or None, request.FILES or None) if follows else None
    if request.method == "POST":
        if form is None or not may_open_rounds(request.user):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = reporting_round_open(
                    actor=request.user,  # type: ignore[arg-type]
                    title=data["title"], period_from=data["period_from"],
                    period_to=data["period_to"], deadline=data["deadline"],
                    units=list(data["units"]), instructions=data["instructions"],
                    template=data.get("template"),
                )  # fmt: skip
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("reporting_round_detail", round_.pk)
    mine = UnitReport.objects.filter(unit__in=units_in_scope(request.user)).select_related(
        "round", "unit"
    )
    return render(
        request,
        "approvals/reporting_rounds.html",
        {
            "rounds": ReportingRound.objects.all()[:100] if follows else [],
            "form": form if may_open_rounds(request.user) else None,
            "mine": mine.order_by("-round_id", "unit__code")[:100],
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The Sở's live board: submitted on time, late, missing; reminded, escalated."""
    if not _may_follow(request.user):
        raise Http404
    round_ = get_object_or_404(ReportingRound, pk=pk)
    approved, total = consolidated(round_)
    return render(
        request,
        "approvals/reporting_round.html",
        {
            "round": round_,
            "rows": board(round_),
            "approved": approved,
            "total": [(label, value_text(total.get(key, 0))) for key, label in figure_labels()],
        },
    )


@login_required
def round_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The consolidated report, summed from the approved reports only."""
    if not _may_follow(request.user) or fmt not in ("xlsx", "docx"):
        raise Http404
    round_ = get_object_or_404(ReportingRound, pk=pk)
    if fmt == "xlsx":
        data = consolidated_xlsx(round_)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data = consolidated_docx(round_)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tong-hop-{round_.pk}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def round_template(request: HttpRequest, pk: int) -> FileResponse:
    """The round's template file, for the units that must report and the Sở's staff.

    Anyone else gets 404, as for a round that does not exist or has no template.
    """
    round_ = ReportingRound.objects.filter(pk=pk).first()
    if round_ is None or not round_.template:
        raise Http404
    reports = round_.reports.filter(unit__in=units_in_scope(request.user))
    if not _may_follow(request.user) and not reports.exists():
        raise Http404
    try:
        handle = round_.template.open("rb")
    except OSError as exc:  # the row names a file the storage no longer has
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=os.path.basename(round_.template.name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _report_for(request: HttpRequest, pk: int) -> UnitReport:
    report = UnitReport.objects.select_related("round", "unit").filter(pk=pk).first()
    if report is None:
        raise Http404
    visible = units_in_scope(request.user).filter(pk=report.unit_id).exists()
    if not visible and not _may_follow(request.user):
        raise Http404
    return report


@login_required
def unit_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's report: the figures (pre-filled from its data until it is submitted), the
    narrative and attachment form for whoever may submit it, the head's task."""
    report = _report_for(request, pk)
    tasks = tasks_for_request(report)
    submit_task = next((t for t in tasks if t.flow_task.name == "submit_unit_report"), None)
    approve_task = next((t for t in tasks if t.flow_task.name == "approve_unit_report"), None)
    may_submit = submit_task is not None and may_take(submit_task, request.user)  # type: ignore[arg-type]
    form = SubmitForm(request.POST or None, request.FILES or None) if may_submit else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit_report_submit(
                    actor=request.user,  # type: ignore[arg-type]
                    report=report,
                    figures=unit_figures(report.round, report.unit),
                    narrative={k: data[k] for k in ("results", "difficulties", "recommendations")},
                    attachment=data.get("attachment"),
                )
            except (ValidationError, StateConflict, PermissionDenied) as error:
                if isinstance(error, ValidationError):
                    _add_errors(form, error)
                else:
                    form.add_error(None, str(error))
            else:
                return redirect("unit_report_detail", report.pk)
        status = 400
    figures = report.figures if report.status != UnitReportStatus.PENDING else None
    if figures is None or report.status == UnitReportStatus.RETURNED:
        figures = unit_figures(report.round, report.unit)
    return render(
        request,
        "approvals/unit_report.html",
        {
            "report": report,
            "figures": [(label, value_text(figures.get(key, 0))) for key, label in figure_labels()],
            "form": form,
            "approve_task": approve_task,
            "prefilled": report.status in (UnitReportStatus.PENDING, UnitReportStatus.RETURNED),
        },
        status=status,
    )
