"""``/api/v1/agreements/``: the MOU register (list, detail, export, proposal, signing,
activities). A unit sees its own MOUs, the department all of them; others are 404."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from openpyxl import Workbook
from openpyxl.styles import Font
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from approvals.notices import path_if_defined
from config.api import OwnFormatParameter, export_schema, json_or_xlsx
from delegations.api import _action
from delegations.models import Agreement, AgreementStatus
from delegations.selectors import (
    agreement_activities,
    agreement_get_for_user,
    agreement_list_for_user,
)
from delegations.services.agreements import (
    AgreementInput,
    agreement_activity_add,
    agreement_file_add,
    agreement_record_signing,
    agreement_terminate,
)
from delegations.services.common import filing_unit
from org.models import Unit
from workflow.services import agreement_submit


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def agreement_summary(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "reference": agreement.reference,
        "title": agreement.title,
        "partner": {
            "id": agreement.partner_id,
            "name": agreement.partner.name,
            "name_en": agreement.partner.name_en,
            "country": agreement.partner.country,
        },
        "unit": {"code": agreement.unit.code, "name": agreement.unit.name},
        "status": agreement.status,
        "signed_on": _date(agreement.signed_on),
        "effective_on": _date(agreement.effective_on),
        "expires_on": _date(agreement.expires_on),
        "terminated_on": _date(agreement.terminated_on),
    }


def agreement_detail(agreement: Agreement) -> dict[str, Any]:
    return {
        **agreement_summary(agreement),
        "parties": agreement.parties,
        "scope": agreement.scope,
        "activities": [
            {**row, "date": _date(row["date"])}  # type: ignore[arg-type]
            for row in agreement_activities(agreement)
        ],
        "files": [
            {"id": f.pk, "name": f.name, "uploaded_at": f.uploaded_at.isoformat()}
            for f in agreement.files.all()
        ],
        "url": path_if_defined("agreement_detail", agreement.pk),
    }


def register_workbook(rows: list[Agreement]) -> bytes:
    """The register as XLSX: one line per MOU with its activity count."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Biên bản ghi nhớ")
    sheet.append(
        [_("Số"), _("Tên văn bản"), _("Đối tác"), _("Quốc gia"), _("Đơn vị"), _("Trạng thái"),
         _("Ngày ký"), _("Ngày có hiệu lực"), _("Ngày hết hiệu lực"), _("Số hoạt động")]
    )  # fmt: skip
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    labels = dict(AgreementStatus.choices)
    for a in rows:
        sheet.append(
            [a.reference, a.title, a.partner.name, a.partner.country, a.unit.code,
             str(labels.get(a.status, a.status)), a.signed_on, a.effective_on, a.expires_on,
             len(agreement_activities(a))]
        )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class AgreementInSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(max_length=32, required=False, allow_blank=True)
    partner = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    title = serializers.CharField(max_length=255)
    parties = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    scope = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    effective_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)


class SigningSerializer(serializers.Serializer[Any]):
    signed_on = serializers.DateField()
    effective_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)


class ActivitySerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    description = serializers.CharField(max_length=500)


class AgreementListView(GenericAPIView[Any]):
    """The MOUs you may see (``?format=xlsx``: the register as a workbook), or a proposal."""

    content_negotiation_class = OwnFormatParameter
    serializer_class = AgreementInSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        wanted = params.get("status") or None
        if wanted and wanted not in AgreementStatus.values:
            raise exceptions.ValidationError({"status": [_("Trạng thái không hợp lệ.")]})
        return agreement_list_for_user(
            user=self.request.user,
            status=wanted,
            unit_code=(params.get("unit") or "").strip()[:32] or None,
            q=(params.get("q") or "").replace("\x00", "").strip()[:200] or None,
        )

    @export_schema(
        OpenApiParameter("status", str, enum=list(AgreementStatus.values)),
        OpenApiParameter("unit", str),
        OpenApiParameter("q", str),
        operation_id="agreement_list",
    )
    def get(self, request: Request) -> HttpResponse:
        fmt = json_or_xlsx(request)
        if fmt == "xlsx":
            rows = list(self.get_queryset()[:5000])
            day = timezone.localdate().isoformat()
            response = HttpResponse(
                register_workbook(rows),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="bien-ban-ghi-nho-{day}.xlsx"'
            response["X-Content-Type-Options"] = "nosniff"
            return response
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        return self.get_paginated_response([agreement_summary(a) for a in page])

    @extend_schema(operation_id="agreement_propose", responses={201: dict})
    def post(self, request: Request) -> Response:
        serializer = AgreementInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        code = (data.get("unit") or "").strip()
        unit = Unit.objects.filter(code=code).first() if code else None
        if code and unit is None:
            raise exceptions.ValidationError({"unit": [_("Không tìm thấy đơn vị.")]})
        actor = request.user
        unit = filing_unit(actor, unit)  # type: ignore[arg-type]
        agreement = agreement_submit(
            actor=actor,  # type: ignore[arg-type]
            unit=unit,
            data=AgreementInput(
                partner_id=data["partner"],
                title=data["title"],
                parties=data.get("parties") or "",
                scope=data.get("scope") or "",
                effective_on=data.get("effective_on"),
                expires_on=data.get("expires_on"),
            ),
        )
        return Response(agreement_detail(agreement), status=status.HTTP_201_CREATED)


class AgreementDetailView(GenericAPIView[Any]):
    """One MOU with its activities and files; 404 when it is not yours to see."""

    @extend_schema(operation_id="agreement_detail", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        return Response(agreement_detail(agreement_get_for_user(user=request.user, pk=pk)))


class TerminationSerializer(serializers.Serializer[Any]):
    terminated_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


def _agreement_action(
    serializer_class: type[Serializer[Any]],
    call: Callable[[Any, Agreement, dict[str, Any]], Any],
    doc: str,
    *,
    operation_id: str,
    created: bool = False,
) -> type[GenericAPIView[Any]]:
    """A POST endpoint on one MOU (:func:`delegations.api._action`): 404 when it is not yours
    to see, its detail in the answer."""
    return _action(
        serializer_class,
        call,
        doc,
        getter=agreement_get_for_user,
        present=agreement_detail,
        prefix="Agreement",
        operation_id=operation_id,
        created=created,
    )


AgreementSignedView = _agreement_action(
    SigningSerializer,
    lambda u, a, d: agreement_record_signing(
        actor=u,
        agreement=a,
        signed_on=d["signed_on"],
        effective_on=d.get("effective_on"),
        expires_on=d.get("expires_on"),
    ),
    "The approved MOU was signed: its dates.",
    operation_id="agreement_signed",
)
AgreementActivityView = _agreement_action(
    ActivitySerializer,
    lambda u, a, d: agreement_activity_add(
        actor=u, agreement=a, held_on=d["held_on"], description=d["description"]
    ),
    "Record an activity carried out under the MOU (not a trip or visit: those are linked).",
    operation_id="agreement_activity_add",
    created=True,
)
AgreementTerminateView = _agreement_action(
    TerminationSerializer,
    lambda u, a, d: agreement_terminate(
        actor=u, agreement=a, on=d["terminated_on"], reason=d["reason"]
    ),
    "End an MOU before its expiry (with the date and the reason).",
    operation_id="agreement_terminate",
)


class FileSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()


class AgreementFileView(GenericAPIView[Any]):
    """Add a file to an MOU (multipart ``file``: PDF, image, .docx or .xlsx, by content)."""

    parser_classes = [MultiPartParser, FormParser]
    serializer_class = FileSerializer

    @extend_schema(operation_id="agreement_file_add", responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        agreement = agreement_get_for_user(user=request.user, pk=pk)
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": [_("Vui lòng chọn tệp.")]})
        agreement_file_add(actor=request.user, agreement=agreement, upload=upload)  # type: ignore[arg-type]
        return Response(agreement_detail(agreement), status=status.HTTP_201_CREATED)
