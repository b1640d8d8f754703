"""The outbound flow (đoàn ra): from submission to the closed record.

Reads top to bottom like ``docs/flows/outbound.md``. Human steps are completed through the
product's task pages and API (:mod:`workflow.services`), which record the decision in
``process.data`` before the gates below read it. Domain rows are written only by services.

Node names are stored in the database: renaming one orphans running processes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from workflow.flows import common
from workflow.flows.common import (
    ACCEPT,
    APPROVE,
    REJECT,
    RETURN,
    DelegationGates,
    decided,
    department_of_process,
    no_stock_view,
    returned_from,
    unit_of_process,
    ward_of_process,
)


class OutboundFlow(DelegationGates, flow.Flow):
    """Đoàn ra

    A request to travel abroad, from the applicant through the unit head and the deciding
    authority (ward, department or city) to the trip and the report afterwards.
    """

    process_title = _("Đoàn ra")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.check_unit_head_needed)

    check_unit_head_needed = (
        flow.If(this.needs_unit_head).Then(this.review_by_unit_head).Else(this.check_route)
    )

    # Unit head (thủ trưởng đơn vị)
    review_by_unit_head = (
        flow.View(no_stock_view)
        .Annotation(title=_("Thủ trưởng đơn vị cho ý kiến"))
        .Permission("org.approve_as_unit_head", obj=unit_of_process)
        .Assign(this.same_person_again)
        .Next(this.check_unit_head_decision)
    )
    check_unit_head_decision = (
        flow.Switch()
        .Case(this.check_route, decided(APPROVE))
        .Case(this.resubmit_by_applicant, decided(RETURN))
        .Default(this.rejected)
    )

    check_route = (
        flow.Switch()
        .Case(this.decide_by_ward_chair, this.is_ward_route)
        .Case(this.propose_by_ward_chair, this.is_city_route_via_ward)
        .Default(this.review_by_department)
    )

    # Ward People's Committee (UBND phường)
    decide_by_ward_chair = (
        flow.View(no_stock_view)
        .Annotation(title=_("Chủ tịch UBND phường quyết định"))
        .Permission("org.decide_for_ward", obj=ward_of_process)
        .Assign(this.same_person_again)
        .Next(this.check_ward_decision)
    )
    check_ward_decision = (
        flow.Switch()
        .Case(this.approve, decided(APPROVE))
        .Case(this.resubmit_by_applicant, decided(RETURN))
        .Default(this.rejected)
    )

    # "CITY via ward": the ward chair proposes before the department reviews
    propose_by_ward_chair = (
        flow.View(no_stock_view)
        .Annotation(title=_("Chủ tịch UBND phường đề xuất"))
        .Permission("org.decide_for_ward", obj=ward_of_process)
        .Assign(this.same_person_again)
        .Next(this.check_ward_proposal)
    )
    check_ward_proposal = (
        flow.Switch()
        .Case(this.review_by_department, decided(APPROVE))
        .Case(this.resubmit_by_applicant, decided(RETURN))
        .Default(this.rejected)
    )

    # Department office (Văn phòng Sở) and the Director
    review_by_department = (
        flow.View(no_stock_view)
        .Annotation(title=_("Văn phòng Sở thẩm định"))
        .Permission("org.review_for_department", obj=department_of_process)
        .Assign(this.last_reviewer)
        .Next(this.check_department_review)
    )
    check_department_review = (
        flow.Switch()
        .Case(this.resubmit_by_applicant, decided(RETURN))
        .Case(this.rejected, decided(REJECT))
        .Case(this.propose_by_director, this.is_city_route)
        .Default(this.decide_by_director)
    )
    decide_by_director = (
        flow.View(no_stock_view)
        .Annotation(title=_("Lãnh đạo Sở quyết định"))
        .Permission("org.decide_for_department", obj=department_of_process)
        .Next(this.check_director_decision)
    )
    check_director_decision = (
        flow.Switch()
        .Case(this.approve, decided(APPROVE))
        .Case(this.review_by_department, decided(RETURN))
        .Default(this.rejected)
    )
    propose_by_director = (
        flow.View(no_stock_view)
        .Annotation(title=_("Lãnh đạo Sở trình UBND Thành phố"))
        .Permission("org.decide_for_department", obj=department_of_process)
        .Next(this.check_director_proposal)
    )
    check_director_proposal = (
        flow.Switch()
        .Case(this.record_city_decision, decided(APPROVE))
        .Case(this.review_by_department, decided(RETURN))
        .Default(this.rejected)
    )
    record_city_decision = (
        flow.View(no_stock_view)
        .Annotation(title=_("Ghi nhận quyết định của UBND Thành phố"))
        .Permission("org.review_for_department", obj=department_of_process)
        .Assign(this.last_reviewer)
        .Next(this.check_city_decision)
    )
    check_city_decision = flow.If(decided(APPROVE)).Then(this.approve).Else(this.rejected)

    # Applicant: complete what was asked for and resubmit to the step that returned it
    resubmit_by_applicant = (
        flow.View(no_stock_view)
        .Annotation(title=_("Bổ sung hồ sơ và trình lại"))
        .Assign(this.applicant_user)
        .Next(this.check_resubmission)
    )
    check_resubmission = (
        flow.Switch()
        .Case(this.review_by_unit_head, returned_from("review_by_unit_head"))
        .Case(this.decide_by_ward_chair, returned_from("decide_by_ward_chair"))
        .Case(this.propose_by_ward_chair, returned_from("propose_by_ward_chair"))
        .Default(this.review_by_department)
    )

    # After approval: the trip, then the report
    approve = flow.Function(this.on_approved).Next(this.await_departure)
    await_departure = flow.Handle().Annotation(title=_("Chờ xuất cảnh")).Next(this.await_return)
    await_return = flow.Handle().Annotation(title=_("Đang ở nước ngoài")).Next(this.submit_report)
    submit_report = (
        flow.View(no_stock_view)
        .Annotation(title=_("Nộp báo cáo kết quả chuyến đi"))
        .Assign(this.applicant_user)
        .Next(this.review_report)
    )
    review_report = (
        flow.View(no_stock_view)
        .Annotation(title=_("Xem xét báo cáo kết quả"))
        .Permission(common.report_reviewer_permission, obj=common.report_reviewer_unit)
        .Next(this.check_report)
    )
    check_report = flow.If(decided(ACCEPT)).Then(this.closed).Else(this.submit_report)

    closed = flow.End().Annotation(title=_("Kết thúc"))
    rejected = flow.End().Annotation(title=_("Không phê duyệt"))

    # --- effects (the gates are common.DelegationGates) -------------------------------

    def on_approved(self, activation: Any) -> None:
        from delegations.services.outbound_flow import outbound_mark_approved

        outbound_mark_approved(request=common.request_of(activation.process))


__all__ = ["OutboundFlow"]
