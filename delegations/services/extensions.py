"""Asking for a later return date (gia hạn), the domain half: the checks and the record.

Starting :class:`workflow.flows.extension.OutboundExtensionFlow` is the caller's part
(:func:`workflow.services.outbound_request_extension`); the decision and the new date are in
:mod:`delegations.services.decisions`.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from config.errors import StateConflict, ValidationError
from delegations.models import OutboundRequest
from delegations.models.dates import dates_outside_window
from delegations.services.common import may_act_for_trip, request_lock, require_reason
from delegations.services.trips import LIVE_STATUSES


def extension_check(
    *, actor: User, request: OutboundRequest, new_return_date: datetime.date, reason: str
) -> tuple[OutboundRequest, str]:
    """The trip may be extended to this date: returns it locked, and the reason stripped.

    The new date lies in the same window as every other date of a dossier (today − 1 year …
    today + 3 years) and after the current return date.
    """
    reason = require_reason(reason)
    request = request_lock(request)
    may_act_for_trip(actor, request)
    if request.status not in LIVE_STATUSES:
        raise StateConflict(_("Chỉ gia hạn được chuyến đi đã phê duyệt và chưa về nước."))
    outside = dates_outside_window((("new_return_date", new_return_date),))
    if outside:
        raise ValidationError(outside)
    if new_return_date <= request.return_date:
        raise ValidationError({"new_return_date": [_("Ngày về mới phải sau ngày về hiện tại.")]})
    return request, reason


def extension_requested(
    *, actor: User, request: OutboundRequest, new_return_date: datetime.date, reason: str
) -> None:
    """The request for a later return date goes on the record."""
    audit_record(
        actor=actor,
        action="outbound.extension_requested",
        obj=request,
        before={"return_date": request.return_date},
        after={"new_return_date": new_return_date},
        comment=reason,
    )
