"""Who may read the whole record: auditors (thanh tra), administrators and superusers.

Role checks only; object permissions stay in :mod:`approvals.permissions`.
"""

from __future__ import annotations

from approvals.permissions import AnyUser, is_administrator, is_auditor, may_read_everything

__all__ = ["audit_log_scope", "is_administrator", "may_read_everything"]


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
