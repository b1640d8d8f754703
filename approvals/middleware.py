"""Remember the current HTTP request's origin so audit events can record it.

A read-only request (GET, HEAD) also carries a small memo: facts that cannot change while a
page is being read (the user's unit grants, the rule-set version in force) are looked up once
per request instead of once per helper that asks. State-changing requests get no memo, so a
POST always reads what it is about to change.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse

#: Methods that change nothing: their requests may memoise reads (:func:`request_memo`).
SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None
    request_id: str
    #: Reads memoised for the rest of a read-only request; ``None`` for other requests.
    memo: dict[Any, Any] | None = field(default=None, compare=False)


_current: contextvars.ContextVar[RequestOrigin | None] = contextvars.ContextVar(
    "request_origin", default=None
)


def current_origin() -> RequestOrigin | None:
    return _current.get()


def request_memo() -> dict[Any, Any] | None:
    """The current read-only request's memo, or ``None`` (a POST, a Celery task, a shell)."""
    origin = _current.get()
    return origin.memo if origin is not None else None


class RequestOriginMiddleware:
    """Tags each request with an id (``X-Request-ID`` when a proxy sets one) and the client IP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        ip = request.META.get("REMOTE_ADDR") or None
        memo: dict[Any, Any] | None = {} if request.method in SAFE_METHODS else None
        token = _current.set(RequestOrigin(ip=ip, request_id=request_id, memo=memo))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response
