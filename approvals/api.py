"""``/api/v1/notifications/``: a request's agency notifications, and recording acknowledgements."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from approvals.models import AcknowledgementChannel, AgencyNotification
from approvals.notifications import agency_notification_acknowledge, may_record_acknowledgement
from config.api import CursorPagination
from config.values import plain_int
from delegations.kinds import KINDS, request_get_for_user


class NotificationPagination(CursorPagination):
    ordering = "id"


def notification_dict(n: AgencyNotification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "agency": n.agency.name,
        "agency_code": n.agency.code,
        "reason": n.reason,
        "status": n.status,
        "due": n.due.isoformat(),
        "status_label": n.get_status_display(),
        "sent_at": n.sent_at.isoformat() if n.sent_at else None,
        "delivered_at": n.delivered_at.isoformat() if n.delivered_at else None,
        "acknowledged_at": n.acknowledged_at.isoformat() if n.acknowledged_at else None,
        "acknowledged_on": n.acknowledged_on.isoformat() if n.acknowledged_on else None,
        "acknowledged_via": n.acknowledged_via or None,
        "acknowledgement_note": n.acknowledgement_note,
        "escalated": n.escalated_at is not None,
    }


def visible_request(user: Any, kind: str, pk: int) -> Any:
    """The request if the user may open it; 404 otherwise (never reveal that it exists)."""
    return request_get_for_user(user=user, kind=kind, pk=pk)


def _parse_request_param(raw: str) -> tuple[str, int]:
    kind, _sep, pk = raw.partition(":")
    if kind not in KINDS or plain_int(pk) is None:
        raise ValidationError(
            {"request": [_("Ghi theo dạng <loại>:<mã>, ví dụ outbound:12 hoặc inbound:3.")]}
        )
    return kind, int(pk)


class NotificationListView(GenericAPIView[AgencyNotification]):
    """The agency notifications of one request you may open (``?request=outbound:12``)."""

    pagination_class = NotificationPagination

    @extend_schema(
        parameters=[OpenApiParameter("request", str, required=True, description="outbound:12")],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("request", "")
        if not raw:
            raise ValidationError({"request": [_("Cần chỉ rõ hồ sơ (request=outbound:12).")]})
        kind, pk = _parse_request_param(raw)
        subject = visible_request(request.user, kind, pk)
        rows = AgencyNotification.objects.filter(
            request_kind=kind, request_id=subject.pk
        ).select_related("agency")
        page = self.paginate_queryset(rows)
        assert page is not None
        return self.get_paginated_response([notification_dict(n) for n in page])


class AcknowledgeSerializer(serializers.Serializer[dict[str, Any]]):
    via = serializers.ChoiceField(
        choices=[AcknowledgementChannel.PAPER.value, AcknowledgementChannel.PHONE.value],
        error_messages={"invalid_choice": gettext_lazy("Chọn paper (văn bản) hoặc phone.")},
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    #: The day the agency acknowledged (a paper receipt is recorded later); today if omitted.
    on = serializers.DateField(required=False, allow_null=True, default=None)


class NotificationAcknowledgeView(GenericAPIView[Any]):
    """Record a paper or phone acknowledgement (the unit's staff or the reviewers); 409 if done."""

    serializer_class = AcknowledgeSerializer

    @extend_schema(request=AcknowledgeSerializer, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        notification = AgencyNotification.objects.select_related("agency").filter(pk=pk).first()
        if notification is None:
            raise Http404
        subject = visible_request(request.user, notification.request_kind, notification.request_id)
        if not may_record_acknowledgement(request.user, subject):  # type: ignore[arg-type]
            raise PermissionDenied
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notification = agency_notification_acknowledge(
            notification=notification,
            via=serializer.validated_data["via"],
            note=serializer.validated_data["note"],
            actor=request.user,  # type: ignore[arg-type]
            on=serializer.validated_data["on"],
        )
        return Response(notification_dict(notification))
