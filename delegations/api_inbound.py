"""``/api/v1/inbound/``: inbound visits (see ../shared/spec/API.md, "Inbound visits").

The same shape and status codes as ``/api/v1/outbound/``; tasks are completed through
``/api/v1/tasks/{id}/complete/``. Passport numbers are masked in answers; a client that sends a
roster back as it read it keeps the stored numbers (see :func:`_unmasked`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from config.errors import ValidationError
from delegations import serializers as s
from delegations import serializers_inbound as si
from delegations.api import RequestChecksView, RequestDetailView, RequestListView, _action
from delegations.models import InboundVisit
from delegations.presenters import inbound_detail, visit_content
from delegations.privacy import mask_passport
from delegations.selectors import inbound_get_for_user, inbound_list_for_user
from delegations.services.inbound import (
    VisitorInput,
    inbound_create,
    inbound_update,
    visitor_inputs,
)
from delegations.services.visitor_import import inbound_import_visitors
from org.models import Unit
from workflow.services import INBOUND_VERBS, request_submit

MAX_SHEET_BYTES = 5 * 1024 * 1024


def _unmasked(visitors: list[VisitorInput], visit: InboundVisit | None) -> list[VisitorInput]:
    """Masked passport numbers sent back as read are replaced by the stored numbers."""
    stored = visitor_inputs(visit) if visit is not None else []
    result = []
    for v in visitors:
        if "•" not in v.passport_number:
            result.append(v)
            continue
        match = next(
            (
                o
                for o in stored
                if o.full_name == v.full_name
                and mask_passport(o.passport_number) == v.passport_number
            ),
            None,
        )
        if match is None:
            raise ValidationError(
                {
                    "visitors": [
                        _("Khách “%(name)s”: số hộ chiếu đang bị che, vui lòng nhập số đầy đủ.")
                        % {"name": v.full_name}
                    ]
                }
            )
        result.append(dataclasses.replace(v, passport_number=match.passport_number))
    return result


def _current_input(visit: InboundVisit) -> dict[str, Any]:
    """The visit's stored content in the input shape, so PATCH may send only changes."""
    return {
        **visit_content(visit),
        "visitors": [
            {
                k: (val.isoformat() if hasattr(val, "isoformat") else val)
                for k, val in dataclasses.asdict(v).items()
            }
            for v in visitor_inputs(visit)
        ],
    }


@extend_schema_view(get=extend_schema(operation_id="inbound_list"))
class InboundListView(RequestListView):
    """List the inbound visits you may see, or create a draft."""

    serializer_class = si.InboundInSerializer
    list_for_user = inbound_list_for_user
    summary = si.inbound_summary

    present = inbound_detail

    def create(self, actor: Any, serializer: Any) -> InboundVisit:
        unit = None
        code = serializer.validated_data.get("host_unit")
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise ValidationError(
                    {"host_unit": [_("Không có đơn vị mã “%(code)s”.") % {"code": code}]}
                )
        data = serializer.to_input()
        data.visitors = _unmasked(data.visitors, None)
        return inbound_create(actor=actor, data=data, unit=unit)


class InboundDetailView(RequestDetailView):
    """One visit; PATCH replaces its content while it is a draft or returned."""

    serializer_class = si.InboundInSerializer
    get_for_user = inbound_get_for_user
    present = inbound_detail

    current_input = _current_input

    def update(
        self, actor: Any, current: InboundVisit, serializer: Any, version: int | None
    ) -> InboundVisit:
        data = serializer.to_input()
        data.visitors = _unmasked(data.visitors, current)
        return inbound_update(actor=actor, visit=current, data=data, version=version)


class InboundChecksView(RequestChecksView):
    """Preview: who will decide, in what order, and what the IN-* rules say. Changes nothing."""

    get_for_user = inbound_get_for_user


class InboundVisitorImportView(GenericAPIView[Any]):
    """Replace a draft's visitor list from the partner's sheet (multipart ``file``: .xlsx, .csv).

    Any bad row imports nothing: 400 with one message per row and column.
    """

    parser_classes = [MultiPartParser, FormParser]
    serializer_class = si.VisitorImportSerializer

    @extend_schema(
        request={"multipart/form-data": si.VisitorImportSerializer}, responses={200: dict}
    )
    def post(self, request: Request, pk: int) -> Response:
        visit = inbound_get_for_user(user=request.user, pk=pk)
        serializer = si.VisitorImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > MAX_SHEET_BYTES:
            raise ValidationError({"file": [_("Tệp lớn quá 5 MB.")]})
        count = inbound_import_visitors(
            actor=request.user,  # type: ignore[arg-type]
            visit=visit,
            data=upload.read(),
            filename=upload.name or "",
        )
        visit.refresh_from_db()
        return Response({**inbound_detail(visit), "imported": count})


def _submit(user: Any, visit: InboundVisit, data: dict[str, Any]) -> dict[str, Any]:
    evaluation = request_submit(actor=user, request=visit, justifications=data["justifications"])
    return {"route": str(evaluation.route)}


def _amend(user: Any, visit: InboundVisit, data: dict[str, Any]) -> dict[str, Any]:
    visitors = None
    if "visitors" in data:
        visitors = _unmasked([si.visitor_input(v) for v in data["visitors"]], visit)
    sent = INBOUND_VERBS["amendment"](user, visit, {**data, "visitors": visitors})
    return {"notifications_sent": sent}


def _inbound_action(
    serializer_class: type[Serializer[Any]],
    call: Callable[[Any, Any, dict[str, Any]], Any],
    doc: str,
) -> type[GenericAPIView[Any]]:
    return _action(
        serializer_class, call, doc,
        getter=inbound_get_for_user, present=inbound_detail, prefix="Inbound",
    )  # fmt: skip


InboundSubmitView = _inbound_action(
    s.SubmitSerializer, _submit, "Submit or resubmit (422 when an IN-* rule blocks)."
)
InboundWithdrawView = _inbound_action(
    s.ReasonSerializer, INBOUND_VERBS["withdraw"], "Withdraw before the decision."
)
InboundCancelView = _inbound_action(
    s.ReasonSerializer,
    INBOUND_VERBS["cancel"],
    "Cancel after approval, before the visit ends; the agencies are told.",
)
InboundResidenceView = _inbound_action(
    si.ResidenceSerializer,
    INBOUND_VERBS["residence"],
    "Confirm that the guests' residence was declared (hotel or host).",
)
InboundAmendView = _inbound_action(
    si.AmendSerializer,
    _amend,
    "Change the roster or the dates of an approved visit; the agencies are notified again.",
)
InboundReportView = _inbound_action(
    s.ReportSerializer, INBOUND_VERBS["report"], "Hand in the post-visit report."
)
