"""API of the record: documents, the audit log, exports, the annual report, who is abroad now.

Files are served as attachments with ``X-Content-Type-Options: nosniff``. ``?format=`` is
this API's own parameter here (pdf/docx, xlsx), so DRF's format override is switched off on
these views.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar, TypeVar

from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.audit import audit_record, verification_get
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
    current_document,
    document_enter_number,
    document_file_for_user,
    document_reissue,
)
from approvals.models import AuditEvent
from approvals.permissions import is_auditor
from approvals.record import exports
from approvals.record.abroad import abroad_now
from approvals.record.access import audit_log_scope, may_read_everything
from approvals.record.audit_log import audit_events, start_verification, verification_status
from approvals.record.report_xlsx import report_workbook
from approvals.record.reports import annual_report, report_scope
from config.api import (
    Conflict,
    CursorPagination,
    OwnFormatParameter,
    export_schema,
    json_or_xlsx,
)
from config.db.replica import replica_reads
from config.values import plain_int
from delegations.models import FundingSource, InboundPurpose, PurposeCategory
from org.api import TextField

R = TypeVar("R", HttpResponse, StreamingHttpResponse, FileResponse)


def _bad(field: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [message]})


def _attachment(response: R) -> R:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _signed_in(request: Request) -> User:
    if not isinstance(request.user, User):
        raise exceptions.NotAuthenticated()
    return request.user


def _require_reader(user: Any) -> None:
    if not may_read_everything(user):
        raise exceptions.PermissionDenied(_("Chỉ thanh tra và quản trị được xem dữ liệu này."))


# --- Documents -------------------------------------------------------------------------------


class DocumentDetailView(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        document = document_get_for_user(user=request.user, pk=pk)
        latest = current_document(document.request_kind, document.request_id, document.kind)
        return Response(document_dict(document, current=latest is not None and latest.pk == pk))


class DocumentFileView(APIView):
    content_negotiation_class = OwnFormatParameter

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["pdf", "docx"])],
        responses={(200, "application/pdf"): bytes, 202: dict},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        fmt = (request.query_params.get("format") or "pdf").lower()
        if fmt not in FORMATS:
            raise _bad("format", _("Định dạng phải là pdf hoặc docx."))
        document = document_get_for_user(user=request.user, pk=pk)
        try:
            name, data, content_type = document_file_for_user(document, fmt, request.user)
        except TamperedFile as exc:
            raise Conflict(_("Tệp văn bản không khớp mã băm đã lưu; liên hệ quản trị.")) from exc
        except DocumentError as exc:
            raise Conflict(exc.message) from exc
        except DocumentNotReady as exc:
            # The render is queued, not done in this request: ask again shortly.
            return Response(
                {
                    "detail": _("Văn bản đang được chuẩn bị; vui lòng thử lại sau ít phút."),
                    "render_state": exc.document.render_state,
                },
                status=status.HTTP_202_ACCEPTED,
                headers={"Retry-After": "15"},
            )
        return _attachment(
            HttpResponse(
                data,
                content_type=content_type,
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        )


class ReissueSerializer(serializers.Serializer[dict[str, Any]]):
    reason = TextField(label=gettext_lazy("Lý do ban hành lại"), max_length=2000)
    confidential = serializers.BooleanField(
        label=gettext_lazy("Vào sổ văn bản mật"), required=False, default=None, allow_null=True
    )


class _DocumentChangeView(APIView):
    """A change to an issued document: by those who manage it, into the secret register only by
    the issuing body's leaders; a change that lost a race or no longer fits answers 409."""

    serializer_class: ClassVar[type[serializers.Serializer[dict[str, Any]]]]
    answer_status = 200

    def post(self, request: Request, pk: int) -> Response:
        document = document_get_for_user(user=request.user, pk=pk)
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not document_may_manage(request.user, document):
            raise exceptions.PermissionDenied(
                _("Chỉ Văn phòng, lãnh đạo cơ quan ban hành được vào số hoặc ban hành lại văn bản.")
            )
        if data["confidential"] and not document_may_classify(request.user, document):
            raise exceptions.PermissionDenied(
                _("Chỉ lãnh đạo cơ quan ban hành được đưa văn bản vào sổ văn bản mật.")
            )
        try:
            changed = self.change(document, _signed_in(request), data)
        except DocumentError as exc:
            raise Conflict(exc.message) from exc
        return Response(document_dict(changed), status=self.answer_status)

    def change(self, document: Any, actor: User, data: dict[str, Any]) -> Any:
        """The service of this change on the validated input; the document as it now stands."""
        raise NotImplementedError


@extend_schema_view(post=extend_schema(request=ReissueSerializer, responses={201: dict}))
class DocumentReissueView(_DocumentChangeView):
    """A correction or replacement: a new document with a new number naming the one replaced."""

    serializer_class = ReissueSerializer
    answer_status = 201

    def change(self, document: Any, actor: User, data: dict[str, Any]) -> Any:
        return document_reissue(
            document=document, actor=actor, reason=data["reason"], confidential=data["confidential"]
        )


class EnterNumberSerializer(serializers.Serializer[dict[str, Any]]):
    number = serializers.IntegerField(
        label=gettext_lazy("Số văn bản"), min_value=1, max_value=999_999
    )
    issued_on = serializers.DateField(label=gettext_lazy("Ngày ban hành"))
    confidential = serializers.BooleanField(
        label=gettext_lazy("Vào sổ văn bản mật"), required=False, default=False
    )


@extend_schema_view(post=extend_schema(request=EnterNumberSerializer, responses={200: dict}))
class DocumentNumberView(_DocumentChangeView):
    """The văn thư enters the number and date from the unit's own register."""

    serializer_class = EnterNumberSerializer

    def change(self, document: Any, actor: User, data: dict[str, Any]) -> Any:
        return document_enter_number(
            document=document,
            actor=actor,
            number=data["number"],
            issued_on=data["issued_on"],
            confidential=data["confidential"],
        )


# --- Audit log -------------------------------------------------------------------------------


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    class Meta:
        model = AuditEvent
        fields = [
            "id", "seq", "occurred_at", "actor_username", "acting_for", "action", "object_type",
            "object_id", "object_repr", "before", "after", "comment", "ip", "request_id",
            "prev_hash", "hash", "key_id",
        ]  # fmt: skip


class AuditListView(APIView):
    """The audit log, newest first by cursor; the filters of ``/nhat-ky/`` and of the export.

    Auditors read everything, administrators their own actions, anyone else gets 404.
    """

    pagination_class = CursorPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(p, str)
            for p in ("from", "to", "since", "until", "actor", "action", "object", "unit",
                      "kind", "request")
        ],
        responses={200: AuditEventSerializer(many=True)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        if not audit_log_scope(_signed_in(request))[0]:
            raise exceptions.NotFound()
        params = request.query_params.copy()
        # ``since``/``until`` and ``request`` are this endpoint's older names.
        params.setdefault("from", params.get("since", ""))
        params.setdefault("to", params.get("until", ""))
        target = params.get("request")
        if target:
            kind, _sep, raw_id = target.partition(":")
            if kind not in exports.AUDIT_TYPES or plain_int(raw_id) is None:
                raise _bad("request", _("Dạng đúng: outbound:<mã> hoặc inbound:<mã>."))
            params["object"] = target
        try:
            filters = exports.parse_filters(params)
        except exports.FilterError as exc:
            raise exceptions.ValidationError(exc.errors) from exc
        try:
            events = audit_events(request.user, filters)
        except Http404 as exc:
            raise exceptions.NotFound() from exc
        paginator = CursorPagination()
        with replica_reads():  # a list: from the read replica when there is one
            page = paginator.paginate_queryset(events, request, view=self)
            return paginator.get_paginated_response(AuditEventSerializer(page, many=True).data)


class AuditVerificationView(APIView):
    """``GET``: the last verification, the last checkpoint, and a job's progress (``?job=``).
    ``POST``: "verify now" (auditors), answered 202 with the job's id."""

    @extend_schema(parameters=[OpenApiParameter("job", str)], responses={200: dict})
    def get(self, request: Request) -> Response:
        if not audit_log_scope(_signed_in(request))[0]:
            raise exceptions.NotFound()
        status = verification_status()
        job_id = request.query_params.get("job", "")
        return Response(
            {
                "last": status["last"],
                "last_checkpoint_at": status["last_checkpoint_at"],
                "last_checkpoint_seq": status["last_checkpoint_seq"],
                "checkpoints_unreadable": status["checkpoints_unreadable"],
                "job": verification_get(job_id) if job_id else None,
            }
        )

    @extend_schema(request=None, responses={202: dict})
    def post(self, request: Request) -> Response:
        user = _signed_in(request)
        if not is_auditor(user):
            raise exceptions.NotFound()
        job_id = start_verification(user)
        return Response({"job": job_id}, status=202)


# --- Exports ---------------------------------------------------------------------------------


class ExportView(APIView):
    """``/exports/<dataset>.<csv|xlsx>``: streamed; every export is itself an audit event."""

    @extend_schema(
        parameters=[OpenApiParameter(p, str) for p in ("from", "to", "unit", "kind", "status")],
        responses={(200, "text/csv"): bytes},
    )
    def get(self, request: Request, dataset: str, fmt: str) -> StreamingHttpResponse:
        _require_reader(request.user)
        export = exports.DATASETS.get(dataset)
        if export is None or fmt not in ("csv", "xlsx"):
            raise exceptions.NotFound(_("Không có bản xuất dữ liệu này."))
        try:
            filters = exports.parse_filters(request.query_params)
        except exports.FilterError as exc:
            raise exceptions.ValidationError(exc.errors) from exc
        if dataset == "audit":
            # As on the screen: an administrator who is not an auditor exports their own actions.
            filters = replace(filters, only_actor_id=audit_log_scope(request.user)[1])
        rows = export.count(filters)
        audit_record(
            actor=request.user,
            action="export.downloaded",
            object_type="export",
            object_id=dataset,
            after={"dataset": dataset, "format": fmt, "filters": filters.as_json(), "rows": rows},
        )
        name = exports.file_name(export, fmt, filters)
        response: StreamingHttpResponse
        if fmt == "csv":
            response = StreamingHttpResponse(
                exports.csv_chunks(export, filters), content_type="text/csv; charset=utf-8"
            )
        else:
            response = StreamingHttpResponse(
                exports.xlsx_chunks(export, filters),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Export-Rows"] = str(rows)
        return _attachment(response)


# --- Annual report and who is abroad ----------------------------------------------------------


def report_for(user: Any, params: Any) -> Any:
    """Parse ``year`` and ``unit`` and build the report the user may see (API and page)."""
    raw_year = (params.get("year") or "").strip()
    year = timezone.localdate().year
    if raw_year:
        if not 2000 <= (plain_int(raw_year, max_digits=4) or 0) <= 2100:
            raise _bad("year", _("Năm không hợp lệ."))
        year = int(raw_year)
    try:
        unit_ids, unit = report_scope(user, (params.get("unit") or "").strip() or None)
    except PermissionError as exc:
        raise exceptions.PermissionDenied(_("Bạn không được xem báo cáo của đơn vị nào.")) from exc
    except LookupError as exc:
        raise exceptions.NotFound(_("Không tìm thấy đơn vị.")) from exc
    with replica_reads():  # the report pages' figures: from the read replica when there is one
        return annual_report(year, unit_ids=unit_ids, unit_code=unit.code if unit else None)


class AnnualReportView(APIView):
    content_negotiation_class = OwnFormatParameter

    @export_schema(OpenApiParameter("year", int), OpenApiParameter("unit", str))
    def get(self, request: Request) -> HttpResponse:
        fmt = json_or_xlsx(request)
        report = report_for(request.user, request.query_params)
        if fmt == "json":
            return Response(report.as_json())

        purposes = {k: str(v) for k, v in InboundPurpose.choices}
        purposes.update({k: str(v) for k, v in PurposeCategory.choices})
        data = report_workbook(report, {k: str(v) for k, v in FundingSource.choices}, purposes)
        unit = f"-{report.unit}" if report.unit else ""
        return _attachment(
            HttpResponse(
                data,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                headers={
                    "Content-Disposition": (
                        f'attachment; filename="bao-cao-doi-ngoai-{report.year}{unit}.xlsx"'
                    )
                },
            )
        )


class AbroadNowView(APIView):
    @extend_schema(parameters=[OpenApiParameter("unit", str)], responses={200: dict})
    def get(self, request: Request) -> Response:
        unit = (request.query_params.get("unit") or "").strip() or None
        with replica_reads():  # a list: from the read replica when there is one
            return Response(abroad_now(user=request.user, unit_code=unit))
