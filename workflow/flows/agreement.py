"""A school's proposed MOU (đề xuất ký kết biên bản ghi nhớ): school head → department review →
Director, each audited; the decisions are recorded by
:func:`delegations.services.agreements.agreement_flow_decision`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from approvals import permissions
from workflow.flows.common import (
    department_of_process,
    if_approved,
    person_step,
    request_of,
    unit_of_process,
)
from workflow.flows.nodes import If


class AgreementFlow(flow.Flow):  # type: ignore[misc,unused-ignore]
    """Đề xuất ký kết biên bản ghi nhớ

    A unit proposes an MOU with a foreign partner. Its head agrees (skipped when the head
    proposed it: nobody decides on their own proposal), the department reviews it, the
    Director decides. Refused at any step, the proposal ends; approved, the unit may sign.
    """

    process_title = _("Đề xuất ký kết biên bản ghi nhớ")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.check_agreement_head_needed)
    check_agreement_head_needed = (
        If(this.needs_unit_head)
        .Then(this.review_agreement_by_unit_head)
        .Else(this.review_agreement_by_department)
    )
    review_agreement_by_unit_head = person_step(
        _("Thủ trưởng đơn vị xem xét đề xuất ký kết"), "org.approve_as_unit_head", unit_of_process
    ).Next(this.check_agreement_head_decision)
    check_agreement_head_decision = if_approved(
        this.review_agreement_by_department, this.agreement_rejected
    )
    review_agreement_by_department = person_step(
        _("Sở thẩm định đề xuất ký kết"), "org.review_for_department", department_of_process
    ).Next(this.check_agreement_review)
    check_agreement_review = if_approved(this.decide_agreement_by_director, this.agreement_rejected)
    decide_agreement_by_director = person_step(
        _("Lãnh đạo Sở quyết định việc ký kết"), "org.decide_for_department", department_of_process
    ).Next(this.check_agreement_decision)
    check_agreement_decision = if_approved(this.agreement_approved, this.agreement_rejected)
    agreement_approved = flow.End().Annotation(title=_("Được phép ký kết"))
    agreement_rejected = flow.End().Annotation(title=_("Không được phép ký kết"))

    def start_process(self, activation: Any, request: Any) -> Any:
        activation.process.artifact = request
        return activation.process

    def needs_unit_head(self, activation: Any) -> bool:
        """No head step for the department's own proposals, nor when a head proposed it."""
        agreement = request_of(activation.process)
        unit = agreement.unit
        if unit.pk == unit.department().pk:
            return False
        heads = permissions.unit_users_with(permissions.APPROVE_AS_UNIT_HEAD, unit)
        return getattr(agreement, "created_by_id", None) not in heads
