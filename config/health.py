"""Readiness checks of the background side (django-health-check): worker and beat alive."""

from __future__ import annotations

import dataclasses

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

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
