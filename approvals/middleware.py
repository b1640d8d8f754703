"""Remember the current HTTP request's origin so audit events can record it."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None
    request_id: str


_current: contextvars.ContextVar[RequestOrigin | None] = contextvars.ContextVar(
    "request_origin", default=None
)


def current_origin() -> RequestOrigin | None:
    return _current.get()


class RequestOriginMiddleware:
    """Tags each request with an id (``X-Request-ID`` when a proxy sets one) and the client IP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        ip = request.META.get("REMOTE_ADDR") or None
        token = _current.set(RequestOrigin(ip=ip, request_id=request_id))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response
