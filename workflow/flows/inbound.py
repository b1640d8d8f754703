"""The inbound flow (đoàn vào): from submission to the closed record.

Reads top to bottom like ``docs/flows/inbound.md``. The decision steps are the ones both kinds
share (:class:`workflow.flows.common.DecisionSteps`), so the task pages, the API and the
decision service are shared; on the ward route the department office is informed of the ward's
approval, and what follows approval is the visit's own (residence declaration, arrival,
departure, post-visit report). Domain rows are written only by services.

Node names are stored in the database: renaming one orphans running processes.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from delegations.models import InboundVisit
from delegations.services.decisions import inbound_inform_department, inbound_mark_approved
from workflow.flows.common import (
    DecisionSteps,
    applicant_step,
    decision_gate,
    request_of,
)
from workflow.flows.nodes import Function


class InboundFlow(DecisionSteps, flow.Flow):  # type: ignore[misc,unused-ignore]
    """Đoàn vào

    A request to receive foreign visitors, from the host unit through its head and the deciding
    authority (ward, department or city) to the visit and the report afterwards.
    """

    process_title = _("Đoàn vào")
    lock_impl = lock.select_for_update_lock

    # Ward People's Committee (UBND phường): decides for its schools, the department is informed
    check_ward_decision = decision_gate(this.inform_department, this.resubmit_by_applicant)
    inform_department = (
        Function(this.on_ward_approved)
        .Annotation(title=_("Thông báo Văn phòng Sở"))
        .Next(this.approve)
    )

    # After approval: agencies notified, residence declared, the visit, then the report
    approve = Function(this.on_approved).Next(this.await_residence_declaration)
    await_residence_declaration = (
        flow.Handle().Annotation(title=_("Chờ xác nhận khai báo tạm trú")).Next(this.await_arrival)
    )
    await_arrival = flow.Handle().Annotation(title=_("Chờ đoàn đến")).Next(this.await_departure)
    await_departure = (
        flow.Handle().Annotation(title=_("Đoàn đang làm việc")).Next(this.submit_report)
    )
    submit_report = applicant_step(_("Nộp báo cáo kết quả đón đoàn")).Next(this.review_report)

    def on_ward_approved(self, activation: Any) -> None:
        """Ward approval: :func:`delegations.services.decisions.inbound_inform_department`."""
        visit = cast(InboundVisit, request_of(activation.process))
        inbound_inform_department(visit=visit, department=visit.unit.department())

    def on_approved(self, activation: Any) -> None:
        """Approval: :func:`delegations.services.decisions.inbound_mark_approved`."""
        inbound_mark_approved(visit=cast(InboundVisit, request_of(activation.process)))


__all__ = ["InboundFlow"]
