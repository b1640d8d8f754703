"""The outbound flow (đoàn ra): from submission to the closed record.

Reads top to bottom like ``docs/flows/outbound.md``: the decision steps are the ones both
kinds share (:class:`workflow.flows.common.DecisionSteps`: unit head, ward, department,
director, city, resubmission, the report's review); what follows approval is the trip's own.
Human steps are completed through the product's task pages and API (:mod:`workflow.services`),
which record the decision in ``process.data`` before the gates read it. Domain rows are written
only by services.

Node names are stored in the database: renaming one orphans running processes.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from delegations.models import OutboundRequest
from delegations.services.decisions import outbound_mark_approved
from workflow.flows.common import DecisionSteps, applicant_step, request_of
from workflow.flows.nodes import Function


class OutboundFlow(DecisionSteps, flow.Flow):  # type: ignore[misc,unused-ignore]
    """Đoàn ra

    A request to travel abroad, from the applicant through the unit head and the deciding
    authority (ward, department or city) to the trip and the report afterwards.
    """

    process_title = _("Đoàn ra")
    lock_impl = lock.select_for_update_lock

    # After approval: the trip, then the report (reviewed by DecisionSteps.review_report)
    approve = Function(this.on_approved).Next(this.await_departure)
    await_departure = flow.Handle().Annotation(title=_("Chờ xuất cảnh")).Next(this.await_return)
    await_return = flow.Handle().Annotation(title=_("Đang ở nước ngoài")).Next(this.submit_report)
    submit_report = applicant_step(_("Nộp báo cáo kết quả chuyến đi")).Next(this.review_report)

    def on_approved(self, activation: Any) -> None:
        """Approval: :func:`delegations.services.decisions.outbound_mark_approved`."""
        outbound_mark_approved(request=cast(OutboundRequest, request_of(activation.process)))


__all__ = ["OutboundFlow"]
