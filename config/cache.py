"""The cache backend: Django's Redis cache that carries on when Redis is down.

Redis holds the broker's queues and the cache (the jurisdiction row every page reads, the
heartbeats, the rate limits of denial events, the sweepers' leases, the audit verification's
progress). None of these is the record: when Redis is down a read finds nothing and falls back
on the database, a write is dropped, and the user's request goes on (docs/production.md →
*Faults*). Django's own backend would raise the connection error into the request instead: a 500
for an approval that should have answered 200. Each fault is logged, at most once a minute per
process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
LOG_EVERY_SECONDS = 60.0
_last_logged = float("-inf")  # monotonic time; the first fault is always logged

T = TypeVar("T")


def _unreachable(operation: str, exc: BaseException) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("cache unreachable (%s: %s); carrying on without it", operation, exc)


def _tolerant(method: Callable[..., T], *args: Any, fallback: T) -> T:
    """``method(*args)``, or ``fallback`` when Redis cannot be reached (the fault logged)."""
    try:
        return method(*args)
    except UNREACHABLE as exc:
        _unreachable(method.__name__, exc)
        return fallback


class TolerantRedisCache(RedisCache):
    """:class:`RedisCache` whose every operation degrades to "nothing cached" on a lost Redis.

    ``get`` gives the default, ``add`` says the key was added (a lease or a rate limit then lets
    the work through rather than dropping it), ``incr`` counts from one, writes do nothing.
    """

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return _tolerant(super().get, key, default, version, fallback=default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        return _tolerant(super().get_many, keys, version, fallback={})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return _tolerant(super().has_key, key, version, fallback=False)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        _tolerant(super().set, key, value, timeout, version, fallback=None)

    def set_many(
        self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return _tolerant(super().set_many, data, timeout, version, fallback=list(data))

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return _tolerant(super().add, key, value, timeout, version, fallback=True)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return _tolerant(super().touch, key, timeout, version, fallback=False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return _tolerant(super().delete, key, version, fallback=False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        _tolerant(super().delete_many, keys, version, fallback=None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return _tolerant(super().incr, key, delta, version, fallback=delta)

    def clear(self) -> None:
        _tolerant(super().clear, fallback=None)
