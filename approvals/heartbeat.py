"""Signs of life of the background side: the worker's heartbeat and beat's last run.

Beat sends ``approvals.tasks.heartbeat`` every :data:`INTERVAL_SECONDS`; publishing it marks
beat's last run, running it marks a worker's heartbeat. Both are timestamps in the cache (Redis in
production, shared by every process). Readiness (``/health/ready/``) and the operations view
read them; with Celery eager (a laptop, the tests) there is no worker or beat to wait for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from config.celery import app as celery_app

TASK_NAME = "approvals.tasks.heartbeat"
#: How often beat sends the heartbeat (seconds).
INTERVAL_SECONDS = 30.0
PARTS = ("worker", "beat")


def _key(part: str) -> str:
    return f"ops:heartbeat:{part}"


def heartbeat_mark(part: str, *, now: float | None = None) -> None:
    """Record that ``part`` ("worker" or "beat") is alive now."""
    assert part in PARTS, part
    cache.set(_key(part), time.time() if now is None else now, timeout=None)


def background_expected() -> bool:
    """Whether a worker and beat should be running (not when Celery runs tasks eagerly)."""
    return not celery_app.conf.task_always_eager


@dataclass(frozen=True)
class Pulse:
    part: str
    #: Seconds since the last sign of life; None when there never was one.
    age: float | None
    stale_after: float

    @property
    def alive(self) -> bool:
        return not background_expected() or (self.age is not None and self.age <= self.stale_after)


def heartbeat_read(part: str, *, now: float | None = None) -> Pulse:
    """How long ago ``part`` was last seen alive."""
    seen = cache.get(_key(part))
    now = time.time() if now is None else now
    age = None if seen is None else max(0.0, now - float(seen))
    return Pulse(part=part, age=age, stale_after=float(settings.HEARTBEAT_STALE_SECONDS))
