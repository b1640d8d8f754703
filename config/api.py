"""API conventions shared by every endpoint (see docs and the API contract).

- Lists are keyset-paginated: ``{"results": [...], "next": url | null}``.
- Errors: 400 ``{"errors": {field: [messages]}}``; other errors ``{"detail": message}``.
- An object the caller may not see is a 404, never a 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import RulesBlocked, StateConflict


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination: constant cost whatever the page depth."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
    invalid_cursor_message = gettext_lazy("Con trỏ phân trang không hợp lệ.")  # type: ignore[assignment]

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"results": data, "next": self.get_next_link()})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "nullable": True, "format": "uri"},
            },
        }


class Conflict(exceptions.APIException):
    """The state does not allow the action now (HTTP 409)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or _("Hồ sơ đang ở trạng thái không cho phép thao tác này."))


def _errors_from_django(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map every error to the contract's shapes; 400s carry ``errors`` keyed by field."""
    if isinstance(exc, DjangoValidationError):
        return Response({"errors": _errors_from_django(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StateConflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RulesBlocked):
        return Response(
            {"detail": exc.message, "checks": exc.checks},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Không tìm thấy."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        if isinstance(data, list):
            data = {"non_field_errors": data}
        response.data = {"errors": data}
    return response
