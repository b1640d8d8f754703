"""Who may read the whole record: auditors (thanh tra), administrators and superusers.

Role checks only; object permissions stay in :mod:`approvals.permissions`.
"""

from __future__ import annotations

from approvals.permissions import AnyUser, effective_roles, is_auditor
from org.models import Role


def is_administrator(user: AnyUser) -> bool:
    """Holds the administrator role today (quản trị), or is a superuser."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return any(role == Role.ADMIN for role, _unit, _holder in effective_roles(user))


def may_read_everything(user: AnyUser) -> bool:
    """Exports, the audit log and the consolidated report: auditors and administrators."""
    return user.is_authenticated and (is_auditor(user) or is_administrator(user))


def audit_log_scope(user: AnyUser) -> tuple[bool, int | None]:
    """May the user read the audit log, and is it limited to their own actions?

    Auditors read all of it; administrators (not also auditors) only what they did themselves;
    anyone else gets a 404 (``/nhat-ky/``, ``/api/v1/audit/``).
    """
    if not user.is_authenticated:
        return False, None
    if is_auditor(user):
        return True, None
    if is_administrator(user):
        return True, user.pk
    return False, None
