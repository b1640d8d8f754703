"""Reads that may come from a read replica: lists, exports and reports.

With ``DATABASE_REPLICA_URL`` set, the settings add the database alias ``replica`` (a streaming
replica of the primary, read-only). Code that only reads and can live with the replica's lag
runs its queries inside :func:`replica_reads`; there :class:`ReplicaRouter` sends every read to
the replica. Everything else (every write, every read outside such a block, every row lock, a
decision, the request and task pages, the inbox, the audit log's verification) goes to the
primary, ``default``: a person who has just acted reads the primary and sees what they did.

A replica that cannot be reached is left alone for ``REPLICA_RETRY_SECONDS`` (the reads go to
the primary meanwhile, with a warning in the log): a lost standby slows the lists, it does not
break them. A replica more than ``REPLICA_MAX_LAG_SECONDS`` behind the primary (replication
stopped, a long replay) is left alone the same way until it has caught up, so that an export
or the audit log never silently misses the last minutes of the record; its lag is measured at
most every ``REPLICA_LAG_CHECK_SECONDS`` per process (:func:`replica_lag_seconds`).

Without a replica the block changes nothing. Under the test suite, whose tests run inside a
transaction no other connection can see, the replica is read only by tests written for
it (``DATABASE_REPLICA_READS``, see ``tests/conftest.py``).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

#: The alias of the read replica in ``DATABASES`` when one is configured.
REPLICA = "replica"

#: How long a replica that could not be reached is left alone before it is tried again.
REPLICA_RETRY_SECONDS = 30.0

#: How often a process measures the replica's lag; in between it goes by the last figure.
REPLICA_LAG_CHECK_SECONDS = 5.0

#: How far the standby is behind, in seconds. Caught up (0): it is not a standby, or it has
#: replayed all the WAL it received and its receiver is streaming (an application role that
#: may not read the receiver's status, without ``pg_monitor``, is taken at the WAL positions'
#: word). Else the age of the last transaction it replayed (a standby whose primary is idle
#: and whose receiver stopped is counted as behind: nothing says it is current).
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
       AND (SELECT coalesce(status, 'streaming') FROM pg_stat_wal_receiver) = 'streaming'
    THEN 0
  ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 1e9)
END
""".strip()

_reading = ContextVar("replica_reads", default=False)
_P = ParamSpec("_P")
_R = TypeVar("_R")
_down_until = 0.0  # monotonic time; per process
_lag_checked_at = float("-inf")  # monotonic time of the last measure; per process
_behind = False  # whether that measure found the replica too far behind


def replica_configured() -> bool:
    """Whether reads in :func:`replica_reads` blocks go to the replica now."""
    return REPLICA in settings.DATABASES and settings.DATABASE_REPLICA_READS


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside the block, reads go to the replica when one is configured (the primary else).

    For code that only reads: a row lock taken inside would go to a read-only replica too.
    """
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def replica_view(view: Callable[_P, _R]) -> Callable[_P, _R]:
    """A page or API list that only reads: the whole view in :func:`replica_reads`.

    Only for views that neither write nor show what the same person has just written (a job
    they started, a row they saved): the replica may be a moment behind.
    """

    @functools.wraps(view)
    def reading(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with replica_reads():
            return view(*args, **kwargs)

    return reading


def replica_reachable() -> bool:
    """Whether the replica's connection works or can be opened now; a failure keeps the
    replica out of use for :data:`REPLICA_RETRY_SECONDS`.

    A connection kept from an earlier request (``CONN_MAX_AGE``) is checked first, once per
    request, as Django checks it before its first query (``CONN_HEALTH_CHECKS``): a standby
    that went away since is found here, not by the list's query.
    """
    global _down_until
    if time.monotonic() < _down_until:
        return False
    standby = connections[REPLICA]
    try:
        standby.close_if_health_check_failed()
        standby.ensure_connection()
    except DatabaseError:
        _down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning(
            "Read replica unreachable: lists, exports and reports read the primary for %.0f s",
            REPLICA_RETRY_SECONDS,
            exc_info=True,
        )
        return False
    return True


def replica_lag_seconds() -> float:
    """How far the replica is behind the primary now, in seconds (:data:`LAG_SQL`).

    A standby that takes longer than ``REPLICA_LAG_TIMEOUT_MS`` to answer is cut off (a
    :class:`DatabaseError`, so it is left alone like an unreachable one): a standby that
    accepts connections and then hangs holds a list page that long at most, not for as long as
    it hangs. The limit is set for the measure's own transaction only (``SET LOCAL``), never
    for the reads that follow; inside a transaction someone else opened on the replica, the
    measure runs without one rather than leave the limit on theirs.
    """
    standby = connections[REPLICA]
    with standby.cursor() as cursor:
        if standby.in_atomic_block:
            cursor.execute(LAG_SQL)
        else:
            with transaction.atomic(using=REPLICA):
                limit = int(settings.REPLICA_LAG_TIMEOUT_MS)
                cursor.execute(f"SET LOCAL statement_timeout = {limit}")
                cursor.execute(LAG_SQL)
        row = cursor.fetchone()
    return float(row[0])


@dataclass(frozen=True)
class ReplicaState:
    """The replica as the operations page shows it: its lag now (None: it did not answer)."""

    lag: float | None
    limit: int

    @property
    def usable(self) -> bool:
        return self.lag is not None and self.lag <= self.limit


def replica_current() -> bool:
    """Whether the replica is within ``REPLICA_MAX_LAG_SECONDS`` of the primary, by a measure at
    most :data:`REPLICA_LAG_CHECK_SECONDS` old. Falling behind and catching up are logged once
    each; a measure that fails counts as an unreachable replica."""
    global _lag_checked_at, _behind, _down_until
    now = time.monotonic()
    if now - _lag_checked_at < REPLICA_LAG_CHECK_SECONDS:
        return not _behind
    _lag_checked_at = now
    try:
        lag = replica_lag_seconds()
    except DatabaseError:
        _down_until = now + REPLICA_RETRY_SECONDS
        logger.warning("Read replica's lag unreadable: reads go to the primary", exc_info=True)
        return False
    state = ReplicaState(lag=lag, limit=settings.REPLICA_MAX_LAG_SECONDS)
    was_behind, _behind = _behind, not state.usable
    if _behind and not was_behind:
        logger.warning(
            "Read replica %.0f s behind the primary (limit %s s): lists, exports and reports "
            "read the primary until it catches up",
            lag,
            state.limit,
        )
    elif was_behind and not _behind:
        logger.info("Read replica caught up (%.1f s behind): lists read it again", lag)
    return not _behind


def replica_state() -> ReplicaState | None:
    """The replica's lag measured now, for the administrators; None when none is configured."""
    if not replica_configured():
        return None
    try:
        lag: float | None = replica_lag_seconds()
    except DatabaseError:
        lag = None
    return ReplicaState(lag=lag, limit=settings.REPLICA_MAX_LAG_SECONDS)


class ReplicaRouter:
    """Reads in :func:`replica_reads` blocks to the replica; every write and migration to the
    primary, also for rows that were read from the replica."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and replica_configured() and replica_reachable() and replica_current():
            return REPLICA
        return None  # Django's default: the instance's own database, else the primary

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, seen through two connections

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
