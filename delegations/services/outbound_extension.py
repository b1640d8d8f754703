"""Extensions of an approved trip's return date (gia hạn)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS

from approvals.audit import audit_record
from approvals.models import Decision, NoticeReason
from delegations.models import OutboundRequest, RequestStatus
from delegations.services.errors import StateConflict, ValidationError
from delegations.services.outbound_trip import _locked, _may_act_for_trip, _notify_agencies, _reason

KIND = "outbound"


@transaction.atomic
def outbound_request_extension(
    *,
    actor: User,
    request: OutboundRequest,
    new_return_date: datetime.date,
    reason: str,
) -> Process:
    """Ask the deciding authority for a later return date."""
    from django.contrib.contenttypes.models import ContentType

    from workflow.flows.extension import OutboundExtensionFlow

    reason = _reason(reason)
    request = _locked(request)
    _may_act_for_trip(actor, request)
    if request.status not in (RequestStatus.APPROVED, RequestStatus.TRAVELLING):
        raise StateConflict(_("Chỉ gia hạn được chuyến đi đã phê duyệt và chưa về nước."))
    if new_return_date <= request.return_date:
        raise ValidationError({"new_return_date": [_("Ngày về mới phải sau ngày về hiện tại.")]})
    pending = Process.objects.filter(
        flow_class=OutboundExtensionFlow,
        artifact_content_type=ContentType.objects.get_for_model(request),
        artifact_object_id=request.pk,
        status=PROCESS.NEW,
    )
    if pending.exists():
        raise StateConflict(_("Đã có một đề nghị gia hạn đang chờ quyết định."))
    process: Process = OutboundExtensionFlow.start.run(
        request=request, new_return_date=new_return_date.isoformat(), reason=reason
    )
    audit_record(
        actor=actor,
        action="outbound.extension_requested",
        obj=request,
        before={"return_date": request.return_date},
        after={"new_return_date": new_return_date},
        comment=reason,
    )
    return process


def outbound_extension_decision(
    *,
    request: OutboundRequest,
    step: Any,
    task: Any,
    actor: Any,
    action: str,
    comment: str,
    fields: dict[str, Any],
) -> None:
    """Record the authority's decision on an extension (inside the flow's lock)."""
    from delegations.services.outbound_flow import _city_decision, _require_comment

    _require_comment(action, comment)
    data: dict[str, Any] = {"new_return_date": task.process.data.get("new_return_date")}
    if step.records_city_decision:
        data.update(_city_decision(fields))
    Decision.objects.create(
        request_kind=KIND,
        request_id=request.pk,
        step=step.name,
        action=action,
        actor=actor.user,
        acting_for=actor.acting_for,
        comment=comment,
        data=data,
        task_id=task.pk,
    )
    audit_record(
        actor=actor.user,
        action=f"outbound.{step.name}.{action}",
        obj=request,
        after=data,
        comment=comment,
        acting_for=actor.acting_for.get_username() if actor.acting_for else "",
    )


def outbound_apply_extension(*, request: Any, new_return_date: str) -> None:
    """The extension was granted: move the return date and tell the agencies."""
    request = _locked(request)
    before = request.return_date
    request.return_date = datetime.date.fromisoformat(new_return_date)
    request.version += 1
    request.save()
    sent = _notify_agencies(request, NoticeReason.EXTENSION)
    audit_record(
        actor=None,
        action="outbound.extended",
        obj=request,
        before={"return_date": before},
        after={"return_date": request.return_date, "notifications": sent},
    )
