"""Refusals are part of the record: a signed-in user's 403s and 404s go to the audit log.

A 404 on a route that exists (an object the user may not open: the API never says whether it
exists) and a 403 (a refused decision, a page the role may not see) are written as
``access.denied`` events with the user, IP (from the request's origin), method, path, status and
the reason given. A scanner must not flood the table: one event per user and path per
``AUDIT_DENIAL_INTERVAL_SECONDS``, and at most ``AUDIT_DENIAL_MAX_PER_USER`` per user in that
interval, after which one ``access.denials_throttled`` event says that more were dropped.
The counters live in the cache (Redis in production, shared by every web process).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from approvals.audit import audit_record

logger = logging.getLogger(__name__)

DENIED = frozenset({403, 404})
REASON_ATTR = "_denial_reason"


def _reason(request: HttpRequest, response: HttpResponse) -> str:
    reason = getattr(request, REASON_ATTR, "")
    data: Any = getattr(response, "data", None)
    if not reason and isinstance(data, dict):
        reason = str(data.get("detail") or data.get("errors") or "")
    return (reason or response.reason_phrase)[:500]


def _first_in_interval(key: str) -> bool:
    return bool(cache.add(key, 1, timeout=settings.AUDIT_DENIAL_INTERVAL_SECONDS))


def _count_in_interval(key: str) -> int:
    if cache.add(key, 1, timeout=settings.AUDIT_DENIAL_INTERVAL_SECONDS):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.AUDIT_DENIAL_INTERVAL_SECONDS)
        return 1


def denial_record(request: HttpRequest, response: HttpResponse) -> bool:
    """Write the refusal unless the rate limit drops it; True when an event was written."""
    user = request.user
    path = request.path
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    if not _first_in_interval(f"audit:denied:{user.pk}:{digest}"):
        return False
    count = _count_in_interval(f"audit:denied:{user.pk}")
    limit = settings.AUDIT_DENIAL_MAX_PER_USER
    if count > limit + 1:
        return False
    throttled = count == limit + 1
    audit_record(
        actor=user,
        action="access.denials_throttled" if throttled else "access.denied",
        object_type="path",
        object_id=digest,
        after={
            "method": request.method,
            "path": path[:2000],
            "status": response.status_code,
            "reason": _reason(request, response),
            **({"limit_per_interval": limit} if throttled else {}),
        },
        comment=path[:255],
    )
    return True


class DenialAuditMiddleware:
    """After the view: a signed-in user's 403 or 404 on a known route becomes an audit event."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code in DENIED
            and request.resolver_match is not None
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            try:
                denial_record(request, response)
            except Exception:
                # Recording a refusal must never turn it into a 500.
                logger.exception("could not record an access denial for %s", request.path)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, Http404 | PermissionDenied):
            setattr(request, REASON_ATTR, str(exception))
