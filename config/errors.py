"""Errors services raise; views map them to status codes (400, 403, 409, 422)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError


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
    "PermissionDenied",
    "RulesBlocked",
    "StateConflict",
    "ValidationError",
    "messages_by_field",
]
