"""Errors services raise; views map them to status codes (400, 403, 409, 422)."""

from __future__ import annotations

import sqlite3
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

#: PostgreSQL's "lock not available" (SQLSTATE 55P03): ``lock_timeout`` ran out, or ``NOWAIT``
#: found the row locked.
LOCK_NOT_AVAILABLE = "55P03"
#: SQLite's primary result codes for a lock it could not take: ``SQLITE_BUSY`` ("database is
#: locked": the busy timeout ran out behind another writer) and ``SQLITE_LOCKED`` (a shared
#: cache's table lock, as in the in-memory test database). Extended codes carry them in the
#: low byte.
SQLITE_LOCK_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
#: What a person is told when the row they act on is held by someone else's change.
BUSY = _("Hồ sơ đang được người khác xử lý; vui lòng thử lại sau giây lát.")


class StateConflict(Exception):
    """The request's (or task's) state does not allow the action now (HTTP 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RulesBlocked(Exception):
    """The rule pack blocks the action (HTTP 422), carrying the checks to show."""

    def __init__(self, message: str, checks: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.message = message
        self.checks = checks


def lock_not_available(error: BaseException) -> bool:
    """Whether ``error`` is a statement that gave up waiting for a lock, or was raised while
    handling one (Django turns a session write that failed so into ``SessionInterrupted``):
    answered 409 (:data:`BUSY`), as a change that lost a race is, never 500. On PostgreSQL
    after ``DATABASE_LOCK_TIMEOUT_MS``; on SQLite after its busy timeout (``config.env``).
    """
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        if isinstance(link, DatabaseError) and _is_lock_wait(link.__cause__):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


def _is_lock_wait(cause: BaseException | None) -> bool:
    """The driver's error under a ``DatabaseError``: a lock it could not take."""
    if isinstance(cause, sqlite3.Error):
        return getattr(cause, "sqlite_errorcode", 0) & 0xFF in SQLITE_LOCK_CODES
    return (
        getattr(cause, "sqlstate", None) == LOCK_NOT_AVAILABLE
        or getattr(cause, "pgcode", None) == LOCK_NOT_AVAILABLE
    )


def messages_by_field(
    error: ValidationError, *, rest: str = NON_FIELD_ERRORS
) -> dict[str, list[str]]:
    """The error's messages as ``{field: [messages]}``; those of no field under ``rest``."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {rest: [str(m) for m in error.messages]}


__all__ = [
    "BUSY",
    "LOCK_NOT_AVAILABLE",
    "SQLITE_LOCK_CODES",
    "PermissionDenied",
    "RulesBlocked",
    "StateConflict",
    "ValidationError",
    "lock_not_available",
    "messages_by_field",
]
