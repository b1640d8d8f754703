"""An approved trip's life, the domain half: cancellation, departure, return, passports.

Each service checks the state, writes the request and its audit event; moving the flow on
(cancelling its tasks, completing its waiting steps) is the caller's part, in
:mod:`workflow.services`. When nobody confirms, the dates on the decision stand and
:func:`workflow.services.outbound_advance_by_dates` (daily, Celery beat) moves the trip on.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import permissions
from approvals.audit import audit_record
from approvals.documents.services import documents_issue_on_cancellation
from config.errors import PermissionDenied, StateConflict, ValidationError
from delegations.models import OutboundMember, OutboundRequest, RequestStatus
from delegations.services.common import (
    may_act_for_trip,
    request_cancel,
    request_lock,
)
from org.calendar import add_working_days, current_calendar
from org.models import PassportKind
from workflow.models import timing_params

#: An approved trip not yet back: it may be cancelled or extended.
LIVE_STATUSES = (RequestStatus.APPROVED, RequestStatus.TRAVELLING)


def trip_cancel(*, actor: User, request: OutboundRequest, reason: str) -> OutboundRequest:
    """Cancel an approved trip before the return: the cancellation letter, the agencies told."""
    return request_cancel(
        actor=actor,
        request=request,
        reason=reason,
        action="outbound.cancelled",
        live=LIVE_STATUSES,
        refused=_("Chỉ hủy được chuyến đi đã phê duyệt và chưa về nước."),
        letters=lambda cancelled, why: documents_issue_on_cancellation(
            request=cancelled, actor=actor, reason=why
        ),
    )


def departure_confirmable_from(request: OutboundRequest) -> datetime.date:
    """The first day departure may be confirmed: the approved departure day."""
    return request.departure_date


def departure_not_yet_message(request: OutboundRequest) -> str:
    """Why departure cannot be confirmed yet, and from which day it can."""
    return _(
        "Chuyến đi được phê duyệt khởi hành ngày %(day)s: có thể xác nhận xuất cảnh từ ngày đó."
    ) % {"day": f"{departure_confirmable_from(request):%d/%m/%Y}"}


def trip_depart(
    *,
    actor: User | None,
    request: OutboundRequest,
    date: datetime.date,
    today: datetime.date | None = None,
) -> OutboundRequest:
    """The delegation has left (confirmed by a traveller or clerk, or by the date itself).

    Not before the approved departure day: confirming weeks ahead would put the trip "abroad"
    in every register while the travellers are still at work.
    """
    request = request_lock(request)
    may_act_for_trip(actor, request)
    if request.status != RequestStatus.APPROVED:
        raise StateConflict(_("Chỉ xác nhận xuất cảnh cho chuyến đi đã phê duyệt."))
    today = today or timezone.localdate()
    if today < request.departure_date:
        raise ValidationError({"date": [departure_not_yet_message(request)]})
    if date > today:
        raise ValidationError({"date": [_("Ngày xuất cảnh không được ở tương lai.")]})
    if date < request.departure_date:
        raise ValidationError(
            {
                "date": [
                    _("Ngày xuất cảnh không được trước ngày đi đã được phê duyệt (%(day)s).")
                    % {"day": f"{request.departure_date:%d/%m/%Y}"}
                ]
            }
        )
    request.actual_departure = date
    request.status = RequestStatus.TRAVELLING
    request.version += 1
    request.save()
    audit_record(
        actor=actor,
        action="outbound.departed",
        obj=request,
        before={"status": RequestStatus.APPROVED},
        after={"status": request.status, "actual_departure": date},
        comment="" if actor else _("Tự động theo ngày đi ghi trong quyết định."),
    )
    return request


def trip_return(
    *,
    actor: User | None,
    request: OutboundRequest,
    date: datetime.date,
    today: datetime.date | None = None,
) -> OutboundRequest:
    """The delegation is back: the report falls due and official passports must come back."""
    request = request_lock(request)
    may_act_for_trip(actor, request)
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
    return request


def may_record_passports(user: User, request: OutboundRequest) -> bool:
    """The unit's clerk or head, or the department office: who records passports handed back."""
    return permissions.has_unit_permission(user, permissions.FILE_FOR_UNIT, request.unit) or (
        permissions.units_in_scope(user, permissions.REVIEW_FOR_DEPARTMENT)
        .filter(pk=request.unit_id)
        .exists()
    )


@transaction.atomic
def outbound_passport_returned(
    *, actor: User, request: OutboundRequest, person_id: int, date: datetime.date
) -> bool:
    """Record that a member handed their official passport back; returns whether it was late."""
    if not may_record_passports(actor, request):
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
