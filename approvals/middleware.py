"""Remember the current HTTP request's origin so audit events can record it.

A read-only request (GET, HEAD) also opens a memo (:mod:`config.memo`): facts that cannot change
while a page is being read (the user's unit grants, the rule-set version in force) are looked up
once per request instead of once per helper that asks. Other requests get none here, so a POST
reads what it is about to change; a decision opens its own scope for the reads it does not
change (workflow.services).
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from config.memo import memo_scope

#: Methods that change nothing: their requests memoise reads (:func:`config.memo.memo_scope`).
SAFE_METHODS = frozenset({"GET", "HEAD"})


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
            if request.method in SAFE_METHODS:
                with memo_scope():
                    response = self.get_response(request)
            else:
                response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response
