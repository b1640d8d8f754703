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
