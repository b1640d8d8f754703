"""An approved visit's life, the domain half: cancellation, residence declaration, arrival,
amendments and departure.

Each service checks the state, writes the visit and its audit event; moving the flow on
(cancelling its tasks, completing its waiting steps) is the caller's part, in
:mod:`workflow.services`. Arrival and departure follow the dates of the decision:
:func:`workflow.services.inbound_advance_by_dates` (daily, Celery beat) starts the visit on its
arrival date and ends it once the departure date has passed. A change to the roster or the dates
once approved is an amendment: the rules about what changed are checked again, the agencies are
notified again and the record keeps before and after.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from approvals.models import NoticeReason
from config.errors import RulesBlocked, StateConflict, ValidationError
from delegations.facts import evaluate
from delegations.models import InboundStatus, InboundVisit
from delegations.models.dates import dates_outside_window
from delegations.services.common import (
    documents_kept_as_issued,
    may_act_for_trip,
    notify_agencies,
    request_cancel,
    request_lock,
    require_reason,
    rule_stamp,
)
from delegations.services.inbound import (
    VisitorInput,
    roster_snapshot,
    visitor_errors,
    visitor_inputs,
    write_visitors,
)
from workflow.models import timing_params

#: After approval and before the visit is over: cancellable and amendable.
LIVE_STATUSES = (InboundStatus.APPROVED, InboundStatus.VISITING)


def visit_cancel(*, actor: User, visit: InboundVisit, reason: str) -> InboundVisit:
    """Cancel an approved visit before it ends; the police and Foreign Affairs are told."""
    return request_cancel(
        actor=actor,
        request=visit,
        reason=reason,
        action="inbound.cancelled",
        live=LIVE_STATUSES,
        refused=_("Chỉ hủy được đoàn vào đã phê duyệt và chưa kết thúc."),
    )


def visit_confirm_residence(*, actor: User, visit: InboundVisit, note: str = "") -> InboundVisit:
    """The host confirms that the hotel (or the host itself) declared the guests' residence."""
    visit = request_lock(visit)
    may_act_for_trip(actor, visit)
    if visit.status not in LIVE_STATUSES:
        raise StateConflict(_("Chỉ xác nhận khai báo tạm trú cho đoàn vào đã phê duyệt."))
    if visit.residence_declared_at is not None:
        raise StateConflict(_("Việc khai báo tạm trú đã được xác nhận."))
    visit.residence_declared_at = timezone.now()
    visit.version += 1
    visit.save()
    late = visit.status == InboundStatus.VISITING
    audit_record(
        actor=actor, action="inbound.residence_declared", obj=visit,
        after={"declared_at": visit.residence_declared_at, "after_arrival": late},
        comment=note.strip(),
    )  # fmt: skip
    return visit


def _locked_in(visit: InboundVisit, status: str, refused: str) -> InboundVisit:
    """The visit locked, if it is in ``status``; otherwise the conflict ``refused`` (409)."""
    visit = request_lock(visit)
    if visit.status != status:
        raise StateConflict(refused)
    return visit


def visit_check_start(*, visit: InboundVisit) -> InboundVisit:
    """The visit may start (it is approved); returns it locked."""
    return _locked_in(visit, InboundStatus.APPROVED, _("Chỉ bắt đầu được đoàn vào đã phê duyệt."))


def visit_residence_missed(*, visit: InboundVisit) -> None:
    """The arrival date came without a confirmed residence declaration: on the record."""
    audit_record(
        actor=None,
        action="inbound.residence_not_declared",
        obj=visit,
        comment=_("Đến ngày đoàn đến nhưng đơn vị chưa xác nhận khai báo tạm trú."),
    )


def visit_start(*, visit: InboundVisit) -> InboundVisit:
    """The arrival date has come: the visit is under way (the system acts, nobody confirms)."""
    visit = visit_check_start(visit=visit)
    visit.actual_arrival = visit.arrival_date
    visit.status = InboundStatus.VISITING
    visit.version += 1
    visit.save()
    audit_record(
        actor=None, action="inbound.visit_started", obj=visit,
        before={"status": InboundStatus.APPROVED},
        after={"status": visit.status, "actual_arrival": visit.actual_arrival},
        comment=_("Tự động theo ngày đoàn đến ghi trong hồ sơ đã duyệt."),
    )  # fmt: skip
    return visit


def visit_end(*, visit: InboundVisit) -> InboundVisit:
    """The departure date has passed: the visit is over and the report falls due."""
    visit = _locked_in(visit, InboundStatus.VISITING, _("Chỉ kết thúc được đoàn đang làm việc."))
    visit.actual_departure = visit.departure_date
    visit.status = InboundStatus.VISIT_ENDED
    report_days = timing_params(visit.departure_date)["report_days"]
    visit.report_due = visit.departure_date + datetime.timedelta(days=report_days)
    visit.version += 1
    visit.save()
    audit_record(
        actor=None, action="inbound.visit_ended", obj=visit,
        before={"status": InboundStatus.VISITING},
        after={
            "status": visit.status, "actual_departure": visit.actual_departure,
            "report_due": visit.report_due,
        },
        comment=_("Tự động theo ngày đoàn về ghi trong hồ sơ đã duyệt."),
    )  # fmt: skip
    return visit


def _amendment_errors(
    visit: InboundVisit,
    visitors: list[VisitorInput] | None,
    arrival: datetime.date,
    departure: datetime.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if visit.status == InboundStatus.VISITING and arrival != visit.arrival_date:
        errors["arrival_date"] = [_("Đoàn đã đến: không thể đổi ngày đến.")]
    if departure < arrival:
        errors["departure_date"] = [_("Ngày đoàn về phải sau hoặc trùng ngày đoàn đến.")]
    changed = [(n, d) for n, d, was in (("arrival_date", arrival, visit.arrival_date),
               ("departure_date", departure, visit.departure_date)) if d != was]  # fmt: skip
    for name, messages in dates_outside_window(changed).items():
        errors.setdefault(name, []).extend(messages)
    if visitors is not None:
        problems = visitor_errors(visitors)
        if not visitors:
            problems.insert(0, _("Danh sách khách không được để trống."))
        if problems:
            errors["visitors"] = problems
    return errors


@transaction.atomic
def inbound_amend(
    *,
    actor: User,
    visit: InboundVisit,
    reason: str,
    visitors: list[VisitorInput] | None = None,
    arrival_date: datetime.date | None = None,
    departure_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> int:
    """Change the roster or the dates of an approved visit; returns the notifications queued.

    The rules about what changed (visitor data; exam days and freezes for new dates) must still
    pass, else :class:`RulesBlocked` and nothing is saved. The agencies are notified again.
    """
    reason = require_reason(reason)
    visit = request_lock(visit)
    may_act_for_trip(actor, visit)
    if visit.status not in LIVE_STATUSES:
        raise StateConflict(_("Chỉ điều chỉnh được đoàn vào đã phê duyệt và chưa kết thúc."))
    documents_kept_as_issued(visit)  # the approval's letters say what was approved
    arrival = arrival_date or visit.arrival_date
    departure = departure_date or visit.departure_date
    errors = _amendment_errors(visit, visitors, arrival, departure)
    if errors:
        raise ValidationError(errors)
    current = visitor_inputs(visit)
    roster_changed = visitors is not None and [dataclasses.astuple(v) for v in visitors] != [
        dataclasses.astuple(v) for v in current
    ]
    dates_changed = (arrival, departure) != (visit.arrival_date, visit.departure_date)
    if not roster_changed and not dates_changed:
        raise ValidationError({"non_field_errors": [_("Không có thay đổi nào so với hồ sơ.")]})
    before = {
        "arrival_date": visit.arrival_date, "departure_date": visit.departure_date,
        "visitors": roster_snapshot(visit),
    }  # fmt: skip
    arrival_changed = arrival != visit.arrival_date
    visit.arrival_date, visit.departure_date = arrival, departure
    visit.version += 1
    visit.save()
    if visitors is not None and roster_changed:
        write_visitors(visit, visitors)
    evaluation = evaluate(visit, on=today)
    relevant = {"IN-VISITOR-DATA"}
    if dates_changed:
        relevant.add("IN-BLACKOUT")
    if arrival_changed:
        relevant.add("IN-FREEZE")
    blocking = [c for c in evaluation.blocking if c.rule in relevant]
    if blocking:
        raise RulesBlocked(
            _("Nội dung điều chỉnh vi phạm quy định nên chưa thể lưu."),
            [c.as_dict() for c in blocking],
        )
    rule_stamp(visit, evaluation, "amendment")
    sent = notify_agencies(visit, NoticeReason.AMENDMENT)
    audit_record(
        actor=actor, action="inbound.amended", obj=visit, before=before,
        after={
            "arrival_date": visit.arrival_date, "departure_date": visit.departure_date,
            "visitors": roster_snapshot(visit), "notifications": sent,
        },
        comment=reason,
    )  # fmt: skip
    return sent
