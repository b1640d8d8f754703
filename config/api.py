"""API conventions shared by every endpoint (see docs and the API contract).

- Lists are keyset-paginated: ``{"results": [...], "next": url | null}``.
- Errors: 400 ``{"errors": {field: [messages]}}``; other errors ``{"detail": message}``.
- An object the caller may not see is a 404, never a 403.
- Under ``/api/`` even Django's own errors are JSON: an unknown address (404, ``handler404``)
  and an unexpected error (500, ``handler500``), which carries the request id the user can quote
  (the ``X-Request-ID`` header, also written in the log line of the error).
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.sessions.exceptions import SessionInterrupted
from django.core.exceptions import (
    DisallowedHost,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from approvals.middleware import current_origin
from config.errors import (
    BUSY,
    RulesBlocked,
    StateConflict,
    lock_not_available,
    messages_by_field,
)
from config.security import is_api, way_back
from config.values import MAX_ID

logger = logging.getLogger(__name__)

_View = TypeVar("_View", bound=Callable[..., Any])


class IdField(serializers.IntegerField):
    """An id or a version sent by a client: a positive integer that fits its column.

    Form-encoded bodies skip the JSON parser's number check, so the range is checked here too
    (a 30-digit "id" is a 400, never an overflow in the database driver).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": gettext_lazy("Phải là một số nguyên."),
                "min_value": gettext_lazy("Phải là số nguyên dương."),
                "max_value": gettext_lazy("Số quá lớn."),
                "max_string_length": gettext_lazy("Số quá lớn."),
            },
        )
        super().__init__(**kwargs)


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination: constant cost whatever the page depth."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
    invalid_cursor_message = gettext_lazy("Con trỏ phân trang không hợp lệ.")  # type: ignore[assignment]

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"results": data, "next": self.get_next_link()})

    def window(self, request: Request) -> tuple[int | None, int | None, int]:
        """(below id, above id, rows) that the page of this request will read, for a selector
        that must know them up front (a merge of index scans, each limited to the page).

        Only for the default ``-id`` ordering. An unreadable cursor is refused as DRF refuses
        it (404, "invalid cursor").
        """
        cursor = self.decode_cursor(request)
        size = (self.get_page_size(request) or self.page_size) + 1
        if cursor is None or cursor.position is None:
            return None, None, size + (cursor.offset if cursor else 0)
        try:
            position = int(cursor.position)
        except ValueError:
            position = -1
        if not 0 <= position <= MAX_ID:
            raise exceptions.NotFound(self.invalid_cursor_message)
        limit = size + cursor.offset
        return (None, position, limit) if cursor.reverse else (position, None, limit)

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


class OwnFormatParameter(DefaultContentNegotiation):
    """JSON always; ``?format=`` belongs to the view (file format), not to DRF's renderers."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


def export_schema(*parameters: OpenApiParameter, **kwargs: Any) -> Callable[[_View], _View]:
    """The schema of a GET that answers JSON or, with ``?format=xlsx``, a workbook (see
    :func:`json_or_xlsx`); ``parameters`` are its other query parameters."""
    return extend_schema(
        parameters=[*parameters, OpenApiParameter("format", str, enum=["json", "xlsx"])],
        responses={200: dict},
        **kwargs,
    )


def json_or_xlsx(request: Request) -> str:
    """The ``?format=`` asked for: "json" (the default) or "xlsx"; anything else is a 400."""
    fmt = (request.query_params.get("format") or "json").lower()
    if fmt not in ("json", "xlsx"):
        raise exceptions.ValidationError({"format": [_("Định dạng phải là json hoặc xlsx.")]})
    return fmt


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map every error to the contract's shapes; 400s carry ``errors`` keyed by field."""
    if isinstance(exc, DjangoValidationError):
        errors = messages_by_field(exc, rest="non_field_errors")
        return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StateConflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if lock_not_available(exc):
        return Response({"detail": str(BUSY)}, status=status.HTTP_409_CONFLICT)
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


# --- Django's error handlers (``config.urls``): JSON under /api/, the HTML pages elsewhere ------


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: an address nothing answers; JSON for the API."""
    if is_api(request):
        return JsonResponse({"detail": _("Không tìm thấy.")}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


class LockWaitMiddleware:
    """A statement that gave up waiting for a row lock (``DATABASE_LOCK_TIMEOUT_MS``: someone
    else's change holds the row and does not end) answers 409 "being handled, try again", as a
    lost race does: JSON under /api/ (the API's own handler does the same for its views), the
    conflict page elsewhere, with the way back to the page. Its transaction has rolled back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not lock_not_available(exception):
            return None
        return busy_response(request)


#: What a request Django itself refused as malformed is told (``handler400``), by cause.
_BAD_REQUEST_REASONS: tuple[tuple[type[Exception], Any], ...] = (
    (
        TooManyFieldsSent,
        gettext_lazy("Biểu mẫu gửi lên có quá nhiều trường; không có gì được lưu."),
    ),
    (TooManyFilesSent, gettext_lazy("Gửi quá nhiều tệp một lần; không có gì được lưu.")),
    (RequestDataTooBig, gettext_lazy("Nội dung gửi lên quá lớn; không có gì được lưu.")),
    (DisallowedHost, gettext_lazy("Địa chỉ máy chủ trong yêu cầu không được chấp nhận.")),
    (
        SessionInterrupted,
        gettext_lazy("Phiên làm việc đã kết thúc trong lúc xử lý; vui lòng đăng nhập lại."),
    ),
)
_BAD_REQUEST = gettext_lazy("Yêu cầu không hợp lệ; vui lòng kiểm tra lại và gửi lại.")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a request Django refused before or after the view (too many fields, a
    body past ``DATA_UPLOAD_MAX_MEMORY_SIZE``, a host not in ``ALLOWED_HOSTS``, a session that
    could not be written). Our own page or JSON under /api/, in the person's language, never
    one that needs the host it refuses. A session whose write gave up waiting for a lock is
    "being handled, try again" (409), as any other lock wait."""
    if lock_not_available(exception):
        return busy_response(request)
    reason = next(
        (text for kind, text in _BAD_REQUEST_REASONS if isinstance(exception, kind)),
        _BAD_REQUEST,
    )
    if is_api(request):
        errors = {"non_field_errors": [str(reason)]}  # the contract's shape of a 400
        return JsonResponse({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    page = loader.get_template("400.html").render({"message": reason})
    return HttpResponseBadRequest(page)


def busy_response(request: HttpRequest) -> HttpResponse:
    """409 "being handled, try again" for a write that gave up waiting for a lock."""
    logger.warning("lock wait ran out: %s %s", request.method, request.path)
    if is_api(request):
        return JsonResponse({"detail": str(BUSY)}, status=status.HTTP_409_CONFLICT)
    context = {"message": BUSY, "back_url": way_back(request)}
    return render(request, "409.html", context, status=status.HTTP_409_CONFLICT)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: logs the request id with the error and shows it to the user to quote.

    A lock wait that ran out outside any view (the session's write as a log-in answers, a
    middleware's audit write) reaches Django's last resort, not ``LockWaitMiddleware``; it is
    answered 409 all the same: nothing was written, and trying again is the remedy.
    """
    error = sys.exc_info()[1]
    if error is not None and lock_not_available(error):
        return busy_response(request)
    origin = current_origin()
    request_id = origin.request_id if origin is not None else uuid.uuid4().hex
    logger.error("server error request_id=%s %s %s", request_id, request.method, request.path)
    if is_api(request):
        return JsonResponse(
            {
                "detail": _(
                    "Lỗi hệ thống. Vui lòng thử lại sau; nếu lỗi vẫn còn, hãy báo mã lỗi này "
                    "cho quản trị hệ thống."
                ),
                "request_id": request_id,
            },
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    # 500.html is a static page (no tags: it must render when nothing else works); the id is
    # added to it here.
    page = loader.get_template("500.html").render()
    quote = f"<p>Mã lỗi: <code>{escape(request_id)}</code></p>\n  </main>"
    return HttpResponseServerError(page.replace("</main>", quote, 1))
