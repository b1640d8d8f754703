"""An approved trip's life: departure, return, report, passports; withdrawal and cancellation.

Departure and return are confirmed by the traveller or the clerk; when nobody does, the dates on
the decision stand and :func:`outbound_advance_by_dates` (daily, Celery beat) moves the request
on by itself.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import permissions
from approvals.audit import audit_record
from approvals.models import NoticeReason
from approvals.notifications import agency_notifications_queue
from delegations.models import OutboundMember, OutboundRequest, RequestStatus
from delegations.models.common import UNDECIDED_STATUSES
from delegations.services.errors import PermissionDenied, StateConflict, ValidationError
from delegations.services.outbound_flow import _locked
from org.calendar import add_working_days, current_calendar
from org.models import PassportKind
from workflow.models import ruleset_params_in_force
from workflow.rules.params import as_param_set

KIND = "outbound"


def timing_params(on: datetime.date | None = None) -> dict[str, Any]:
    """The "timing" parameters of the rule set in force (report days, passport days...)."""
    _version, params = ruleset_params_in_force(on or timezone.localdate())
    return as_param_set(params).group("timing")


def _may_act_for_trip(actor: User | None, request: Any) -> None:
    """The applicant, a traveller, or the unit's clerk or head; ``None`` is the system.

    Also used for inbound visits, which have no travellers (their visitors never log in).
    """
    if actor is None:
        return
    if request.created_by_id == actor.pk:
        return
    members = getattr(request, "members", None)
    if members is not None and members.filter(person__user=actor).exists():
        return
    if permissions.has_unit_permission(actor, permissions.FILE_FOR_UNIT, request.unit):
        return
    raise PermissionDenied(
        _("Chỉ người đề nghị, thành viên đoàn hoặc văn thư đơn vị được thao tác.")
    )


def _notify_agencies(request: Any, reason: str, due: datetime.date | None = None) -> int:
    """Queue one notification per agency (outbound or inbound), due the next working day.

    Each is written with its e-mail (an outbox row) in the caller's transaction.
    """
    return len(agency_notifications_queue(request, reason, due=due))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Vui lòng nêu lý do.")]})
    return reason


@transaction.atomic
def outbound_withdraw(*, actor: User, request: OutboundRequest, reason: str) -> None:
    """The applicant withdraws a request before any decision; open tasks are cancelled."""
    from workflow.services import flow_cancel, process_for

    reason = _reason(reason)
    request = _locked(request)
    _may_act_for_trip(actor, request)
    if request.status not in UNDECIDED_STATUSES:
        raise StateConflict(_("Chỉ rút được hồ sơ đang xét duyệt, chưa có quyết định."))
    process = process_for(request)
    if process is not None:
        flow_cancel(process)
    before = request.status
    request.status = RequestStatus.WITHDRAWN
    request.version += 1
    request.save()
    audit_record(
        actor=actor,
        action="outbound.withdrawn",
        obj=request,
        before={"status": before},
        after={"status": request.status},
        comment=reason,
    )


@transaction.atomic
def outbound_cancel(*, actor: User, request: OutboundRequest, reason: str) -> None:
    """Cancel an approved trip before the return; the agencies are told."""
    from workflow.services import flow_cancel, process_for

    reason = _reason(reason)
    request = _locked(request)
    _may_act_for_trip(actor, request)
    if request.status not in (RequestStatus.APPROVED, RequestStatus.TRAVELLING):
        raise StateConflict(_("Chỉ hủy được chuyến đi đã phê duyệt và chưa về nước."))
    process = process_for(request)
    if process is not None:
        flow_cancel(process)
    before = request.status
    request.status = RequestStatus.CANCELLED
    request.version += 1
    request.save()
    from approvals.documents.services import documents_issue_on_cancellation

    documents_issue_on_cancellation(request=request, actor=actor, reason=reason)
    sent = _notify_agencies(request, NoticeReason.CANCELLATION)
    audit_record(
        actor=actor,
        action="outbound.cancelled",
        obj=request,
        before={"status": before},
        after={"status": request.status, "notifications": sent},
        comment=reason,
    )


def _complete_handle(request: Any, node: str) -> None:
    from workflow.services import handle_complete, process_for, process_lock

    process = process_for(request)
    if process is None:
        return
    with process_lock(process.flow_class, process.pk):
        handle_complete(process, node)


@transaction.atomic
def outbound_confirm_departure(
    *,
    actor: User | None,
    request: OutboundRequest,
    date: datetime.date,
    today: datetime.date | None = None,
) -> None:
    """The delegation has left (confirmed by a traveller or clerk, or by the date itself)."""
    request = _locked(request)
    _may_act_for_trip(actor, request)
    if request.status != RequestStatus.APPROVED:
        raise StateConflict(_("Chỉ xác nhận xuất cảnh cho chuyến đi đã phê duyệt."))
    if date > (today or timezone.localdate()):
        raise ValidationError({"date": [_("Ngày xuất cảnh không được ở tương lai.")]})
    request.actual_departure = date
    request.status = RequestStatus.TRAVELLING
    request.version += 1
    request.save()
    _complete_handle(request, "await_departure")
    audit_record(
        actor=actor,
        action="outbound.departed",
        obj=request,
        before={"status": RequestStatus.APPROVED},
        after={"status": request.status, "actual_departure": date},
        comment="" if actor else _("Tự động theo ngày đi ghi trong quyết định."),
    )


@transaction.atomic
def outbound_confirm_return(
    *,
    actor: User | None,
    request: OutboundRequest,
    date: datetime.date,
    today: datetime.date | None = None,
) -> None:
    """The delegation is back: the report falls due and official passports must come back."""
    request = _locked(request)
    _may_act_for_trip(actor, request)
    if request.status == RequestStatus.APPROVED:
        outbound_confirm_departure(
            actor=actor, request=request, date=request.departure_date, today=today
        )
        request = _locked(request)
    if request.status != RequestStatus.TRAVELLING:
        raise StateConflict(_("Chỉ xác nhận về nước cho đoàn đang ở nước ngoài."))
    if date > (today or timezone.localdate()):
        raise ValidationError({"date": [_("Ngày nhập cảnh không được ở tương lai.")]})
    if request.actual_departure and date < request.actual_departure:
        raise ValidationError({"date": [_("Ngày về không được trước ngày đi.")]})
    timing = timing_params(date)
    request.actual_return = date
    request.status = RequestStatus.RETURNED_HOME
    request.report_due = date + datetime.timedelta(days=timing["report_days"])
    request.version += 1
    request.save()
    passport_due = add_working_days(date, timing["passport_return_days"], current_calendar())
    OutboundMember.objects.filter(request=request, passport__kind=PassportKind.OFFICIAL).update(
        passport_due_on=passport_due
    )
    _complete_handle(request, "await_return")
    audit_record(
        actor=actor,
        action="outbound.returned_home",
        obj=request,
        before={"status": RequestStatus.TRAVELLING},
        after={
            "status": request.status,
            "actual_return": date,
            "report_due": request.report_due,
            "passport_due": passport_due,
        },
        comment="" if actor else _("Tự động theo ngày về ghi trong quyết định."),
    )


def outbound_submit_report(*, actor: User, request: Any, text: str) -> None:
    """Hand in the post-trip (or post-visit) report: completes the applicant's report task."""
    from workflow.services import open_tasks, process_for, task_complete

    process = process_for(request)
    task = (
        next((t for t in open_tasks(process) if t.flow_task.name == "submit_report"), None)
        if process
        else None
    )
    if task is None:
        raise StateConflict(_("Hồ sơ chưa đến bước nộp báo cáo hoặc báo cáo đang được xem xét."))
    task_complete(task_id=task.pk, user=actor, action="submit", fields={"text": text})


@transaction.atomic
def outbound_passport_returned(
    *, actor: User, request: OutboundRequest, person_id: int, date: datetime.date
) -> bool:
    """Record that a member handed their official passport back; returns whether it was late."""
    if not permissions.has_unit_permission(actor, permissions.FILE_FOR_UNIT, request.unit) and not (
        permissions.units_in_scope(actor, permissions.REVIEW_FOR_DEPARTMENT)
        .filter(pk=request.unit_id)
        .exists()
    ):
        raise PermissionDenied(_("Chỉ văn thư đơn vị hoặc Văn phòng Sở ghi nhận nộp hộ chiếu."))
    member = (
        OutboundMember.objects.select_for_update()
        .filter(request=request, person_id=person_id)
        .first()
    )
    if member is None:
        raise ValidationError({"person": [_("Người này không có tên trong đoàn.")]})
    if member.passport_returned_on is not None:
        raise StateConflict(_("Hộ chiếu đã được ghi nhận nộp lại."))
    if date > timezone.localdate():
        raise ValidationError({"date": [_("Ngày nộp không được ở tương lai.")]})
    member.passport_returned_on = date
    member.save(update_fields=["passport_returned_on"])
    late = member.passport_due_on is not None and date > member.passport_due_on
    audit_record(
        actor=actor,
        action="outbound.passport_returned",
        obj=request,
        after={"person": person_id, "date": date, "due": member.passport_due_on, "late": late},
    )
    return late


def outbound_advance_by_dates(*, today: datetime.date | None = None) -> int:
    """Move approved trips on by their decision dates when nobody confirmed; returns moves."""
    today = today or timezone.localdate()
    moved = 0
    for request in OutboundRequest.objects.filter(
        status=RequestStatus.APPROVED, departure_date__lte=today
    ).order_by("pk"):
        outbound_confirm_departure(
            actor=None, request=request, date=request.departure_date, today=today
        )
        moved += 1
    for request in OutboundRequest.objects.filter(
        status=RequestStatus.TRAVELLING, return_date__lt=today
    ).order_by("pk"):
        outbound_confirm_return(actor=None, request=request, date=request.return_date, today=today)
        moved += 1
    return moved
