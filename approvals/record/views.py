"""Pages of the record: documents, exports, the annual report and dashboard, who is abroad."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework import exceptions

from approvals.documents.selectors import (
    document_dict,
    document_get_for_user,
    document_may_classify,
    document_may_manage,
)
from approvals.documents.services import (
    FORMATS,
    DocumentError,
    DocumentNotReady,
    TamperedFile,
    document_enter_number,
    document_file_for_user,
)
from approvals.models import Document
from approvals.record import exports
from approvals.record.abroad import abroad_now
from approvals.record.access import may_read_everything
from approvals.record.api import report_for
from approvals.record.reports import AnnualReport, Figures
from config.countries import country_label
from config.db.replica import replica_reads
from config.values import plain_int
from delegations.models import FundingSource, RequestKind, RequestStatus, TripKind
from delegations.selectors import inbound_list_for_user, outbound_list_for_user


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF or DOCX of a document of a request the user may open (404 otherwise)."""
    fmt = request.GET.get("format", "pdf").lower()
    if fmt not in FORMATS:
        raise Http404(_("Không có định dạng này."))
    document = document_get_for_user(user=request.user, pk=pk)
    try:
        name, data, content_type = document_file_for_user(document, fmt, request.user)
    except TamperedFile as exc:
        raise PermissionDenied(_("Tệp văn bản không khớp mã băm đã lưu.")) from exc
    except DocumentError as exc:
        messages.error(request, exc.message)
        query = urlencode({"request": f"{document.request_kind}:{document.request_id}"})
        return redirect(f"{reverse('document_list')}?{query}")
    except DocumentNotReady as exc:
        # Never rendered in the request: the render is queued; the page reloads itself.
        response = render(
            request,
            "approvals/document_preparing.html",
            {"document": exc.document, "failed": exc.document.render_state == "failed"},
            status=202,
        )
        response["Retry-After"] = "15"
        return response
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    """The latest documents of the requests the user may open; ``?request=outbound:12``."""

    visible = Q(
        request_kind="outbound",
        request_id__in=outbound_list_for_user(user=request.user).values("pk"),
    ) | Q(
        request_kind="inbound", request_id__in=inbound_list_for_user(user=request.user).values("pk")
    )
    documents = Document.objects.filter(visible)
    target = request.GET.get("request", "")
    kind, _sep, raw_id = target.partition(":")
    if kind in ("outbound", "inbound") and plain_int(raw_id) is not None:
        documents = documents.filter(request_kind=kind, request_id=int(raw_id))
    documents = documents.select_related("register__unit")
    rows = []
    for document in documents.order_by("-issued_at", "-id")[:100]:
        row = document_dict(document)
        if document.number is None:
            row["may_enter_number"] = document_may_manage(request.user, document)
            row["may_classify"] = document_may_classify(request.user, document)
        rows.append(row)
    return render(
        request,
        "approvals/document_list.html",
        {"documents": rows, "today": timezone.localdate().isoformat(), "target": target},
    )


def _posted_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _enter_number(
    request: HttpRequest, document: Any, issued_on: datetime.date | None, confidential: bool
) -> None:
    try:
        entered = document_enter_number(
            document=document,
            actor=request.user,  # type: ignore[arg-type]
            number=request.POST.get("number", ""),
            issued_on=issued_on,
            confidential=confidential,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except DocumentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã vào số %(number)s.") % {"number": entered.number_text})


@login_required
@require_POST
def document_number_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """The văn thư's form: the number and date from the unit's own register (404 if invisible)."""
    document = document_get_for_user(user=request.user, pk=pk)
    confidential = request.POST.get("confidential") == "1"
    if not document_may_manage(request.user, document) or (
        confidential and not document_may_classify(request.user, document)
    ):
        raise PermissionDenied(_("Bạn không được vào số văn bản này."))
    raw_date = request.POST.get("issued_on", "").strip()
    issued_on = _posted_date(raw_date)
    if raw_date and issued_on is None:
        messages.error(request, _("Ngày ban hành không hợp lệ."))
    else:
        _enter_number(request, document, issued_on, confidential)
    query = urlencode({"request": f"{document.request_kind}:{document.request_id}"})
    return redirect(f"{reverse('document_list')}?{query}")


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    """Links to every export with the filters given (auditors and administrators)."""
    if not may_read_everything(request.user):
        raise PermissionDenied(_("Chỉ thanh tra và quản trị được xuất dữ liệu."))
    try:
        filters = exports.parse_filters(request.GET)
        errors: dict[str, list[str]] = {}
    except exports.FilterError as exc:
        filters, errors = exports.ExportFilters(), exc.errors
    query = urlencode({key: value for key, value in filters.as_json().items() if value})
    datasets = [
        {"name": d.name, "title": d.title, "query": query} for d in exports.DATASETS.values()
    ]

    return render(
        request,
        "approvals/export_list.html",
        {
            "datasets": datasets,
            "filters": filters.as_json(),
            "errors": errors,
            # Trip kinds filter requests and members; request kinds filter decisions and events.
            "kinds": [*TripKind.choices, *RequestKind.choices],
            "statuses": RequestStatus.choices,
        },
    )


def _bars(values: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Label, value and width (percent of the largest) for a CSS bar chart."""
    top = max((v for _label, v in values), default=0) or 1
    return [{"label": label, "value": v, "width": round(100 * v / top)} for label, v in values]


def _columns(values: list[int]) -> list[dict[str, Any]]:
    """Geometry of an SVG column chart 240×110: bars up to 80 high standing on y = 97.

    Numbers are handed to the template as text: a localised float ("80,5") is no SVG length.
    """
    top = max(values, default=0) or 1
    columns = []
    for i, value in enumerate(values):
        height = round(80 * value / top, 1)
        columns.append(
            {
                "label": str(i + 1),
                "value": value,
                "x": str(20 * i + 3),
                "middle": str(20 * i + 10),
                "y": f"{97 - height:g}",
                "height": f"{height:g}",
                "label_y": f"{95 - height:g}",
            }
        )
    return columns


def _charts(report: AnnualReport) -> dict[str, Any]:
    funding = dict(FundingSource.choices)
    total: Figures = report.total
    return {
        "by_unit": _bars(
            [(f.unit_name or f.unit or "", f.outbound_delegations) for f in report.units]
        ),
        "by_country": _bars(
            [
                (country_label(code), c["outbound"] + c["inbound"])
                for code, c in report.countries.items()
            ][:12]
        ),
        "by_funding": _bars(
            [(str(funding.get(k, k)), v["delegations"]) for k, v in sorted(total.funding.items())]
        ),
        "by_month": _columns(report.by_month),
        "by_rule": _bars(list(total.violations_by_rule.items())),
    }


def _report_or_error(request: HttpRequest, params: Any) -> AnnualReport:
    try:
        report: AnnualReport = report_for(request.user, params)
        return report
    except exceptions.PermissionDenied as exc:
        raise PermissionDenied(str(exc.detail)) from exc
    except exceptions.NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except exceptions.ValidationError as exc:
        raise Http404(_("Năm không hợp lệ.")) from exc


@login_required
def report_annual(request: HttpRequest) -> HttpResponse:
    """The annual foreign-affairs report on screen: figures, charts and the XLSX link."""
    report = _report_or_error(request, request.GET)
    today = timezone.localdate()
    return render(
        request,
        "approvals/report_annual.html",
        {
            "report": report,
            "total": report.total,
            "charts": _charts(report),
            "years": sorted(
                {*range(today.year + 1, today.year - 6, -1), report.year}, reverse=True
            ),
            "days_left": (report.deadline - today).days,
            "query": f"year={report.year}" + (f"&unit={report.unit}" if report.unit else ""),
            "may_export": may_read_everything(request.user),
        },
    )


@login_required
def report_dashboard(request: HttpRequest) -> HttpResponse:
    """This year so far: the key figures, who is abroad today, the report deadline."""
    today = timezone.localdate()
    with replica_reads():  # a list: from the read replica when there is one
        abroad = abroad_now(user=request.user, today=today)
    try:
        report = _report_or_error(request, {"year": str(today.year)})
    except PermissionDenied:
        # In the menu for everyone: without a unit's records to read, only who is abroad.
        return render(
            request,
            "approvals/report_dashboard.html",
            {"report": None, "abroad": abroad, "year": today.year},
        )
    return render(
        request,
        "approvals/report_dashboard.html",
        {
            "report": report,
            "year": report.year,
            "total": report.total,
            "charts": _charts(report),
            "abroad": abroad,
            "days_left": (report.deadline - today).days,
        },
    )


@login_required
def abroad_now_page(request: HttpRequest) -> HttpResponse:
    """People abroad today on approved trips, by unit (what the user may see)."""
    day = timezone.localdate()
    raw = request.GET.get("date", "")
    if raw:
        try:
            day = datetime.date.fromisoformat(raw)
        except ValueError:
            day = timezone.localdate()
    with replica_reads():  # a list: from the read replica when there is one
        abroad = abroad_now(user=request.user, today=day)
    return render(
        request,
        "approvals/abroad_now.html",
        {"abroad": abroad, "day": day},
    )
