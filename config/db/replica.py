"""Reads that may come from a read replica: lists, exports and reports.

With ``DATABASE_REPLICA_URL`` set, the settings add the database alias ``replica`` (a streaming
replica of the primary, read-only). Code that only reads and can live with the replica's lag
runs its queries inside :func:`replica_reads`; there :class:`ReplicaRouter` sends every read to
the replica. Everything else (every write, every read outside such a block, every row lock, a
decision, the request and task pages, the inbox, the audit log's verification) goes to the
primary, ``default``: a person who has just acted reads the primary and sees what they did.

A replica that cannot be reached is left alone for ``REPLICA_RETRY_SECONDS`` (the reads go to
the primary meanwhile, with a warning in the log): a lost standby slows the lists, it does not
break them. Without a replica the block changes nothing. Under the test suite, whose tests run
inside a transaction no other connection can see, the replica is read only by tests written for
it (``DATABASE_REPLICA_READS``, see ``tests/conftest.py``).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

#: The alias of the read replica in ``DATABASES`` when one is configured.
REPLICA = "replica"

#: How long a replica that could not be reached is left alone before it is tried again.
REPLICA_RETRY_SECONDS = 30.0

_reading = ContextVar("replica_reads", default=False)
_P = ParamSpec("_P")
_R = TypeVar("_R")
_down_until = 0.0  # monotonic time; per process


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


class ReplicaRouter:
    """Reads in :func:`replica_reads` blocks to the replica; every write and migration to the
    primary, also for rows that were read from the replica."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and replica_configured() and replica_reachable():
            return REPLICA
        return None  # Django's default: the instance's own database, else the primary

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, seen through two connections

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
