"""Readiness checks of the background side (django-health-check): worker and beat alive."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest, HttpResponse
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from approvals.heartbeat import heartbeat_read


def _check(part: str) -> None:
    pulse = heartbeat_read(part)
    if pulse.alive:
        return
    if pulse.age is None:
        raise ServiceUnavailable(f"no {part} heartbeat yet")
    raise ServiceUnavailable(f"last {part} heartbeat {int(pulse.age)} s ago")


@dataclasses.dataclass
class Worker(HealthCheck):  # type: ignore[misc]  # django-health-check is untyped
    """A Celery worker ran the heartbeat task recently (always ready when Celery is eager)."""

    def run(self) -> None:
        _check("worker")


@dataclasses.dataclass
class Beat(HealthCheck):  # type: ignore[misc]
    """Celery beat sent the heartbeat recently (always ready when Celery is eager)."""

    def run(self) -> None:
        _check("beat")


class HealthView(HealthCheckView):  # type: ignore[misc]
    """django-health-check's view (liveness and readiness), answering 503 instead of 500 when a
    check fails.

    A failing component is an outage to route around, not a bug of the site: load balancers
    and monitoring read 503 as "not ready", and no "Internal Server Error" is logged for it.
    """

    async def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = await super().dispatch(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
            response.reason_phrase = "Service Unavailable"
        return response
