"""Pieces every delegation flow shares: decisions stored on the process, permission targets."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.views import View as DjangoView
from viewflow import this
from viewflow.workflow import flow

from approvals.permissions import APPROVE_AS_UNIT_HEAD, unit_users_with
from delegations.kinds import AnyRequest
from delegations.models import Route
from org.models import Unit

#: Keys in ``process.data`` (viewflow's JSON field) that the gates read.
DECISION = "decision"
RETURNED_FROM = "returned_from"
RETURNED_BY = "returned_by"

APPROVE = "approve"
RETURN = "return"
REJECT = "reject"
ACCEPT = "accept"


class NoStockView(DjangoView):
    """Human steps are completed through the product's own task pages and API.

    viewflow's stock pages are not mounted (see STACK.md trap 2); a View node still needs a
    view object, and this one is never routed.
    """


no_stock_view = NoStockView.as_view()


def request_of(process: Any) -> AnyRequest:
    """The request (outbound or inbound) a process is about: its artifact."""
    return cast(AnyRequest, process.artifact)


def decision_of(activation: Any) -> str | None:
    """The action that ended the last human step (``process.data``)."""
    decision: str | None = activation.process.data.get(DECISION)
    return decision


def decided(action: str) -> Any:
    """A gate condition: the last human step ended with ``action``."""

    def condition(activation: Any) -> bool:
        return decision_of(activation) == action

    condition.__name__ = f"decided_{action}"
    return condition


def returned_from(node_name: str) -> Any:
    def condition(activation: Any) -> bool:
        return bool(activation.process.data.get(RETURNED_FROM) == node_name)

    condition.__name__ = f"returned_from_{node_name}"
    return condition


def unit_of_process(process: Any) -> Unit:
    return request_of(process).unit


def department_of_process(process: Any) -> Unit:
    return unit_of_process(process).department()


def ward_of_process(process: Any) -> Unit:
    return unit_of_process(process).ward()


#: The department reviewer who last handled the dossier (user id).
REVIEWER = "reviewer"


def report_reviewer_permission(activation: Any) -> str:
    """The ward's officer for ward routes, else the department reviewer (node Permission)."""
    route = request_of(activation.process).route
    return "org.review_for_ward" if route == Route.WARD else "org.review_for_department"


def report_reviewer_unit(process: Any) -> Unit:
    """Who accepts the post-trip report: the ward for ward routes, else the department."""
    request = request_of(process)
    unit: Unit = request.unit
    return unit.ward() if request.route == Route.WARD else unit.department()


def unit_head_is_party(process: Any) -> bool:
    """Whether a holder of the unit-head role filed the request or is one of its travellers."""
    request = request_of(process)
    heads = set(unit_users_with(APPROVE_AS_UNIT_HEAD, request.unit))
    if request.created_by_id in heads:
        return True
    # Inbound visits have no travellers: their visitors never log in.
    members = getattr(request, "members", None)
    return bool(members is not None and members.filter(person__user_id__in=heads).exists())


def user_if_still_allowed(user_id: int | None, activation: Any) -> Any:
    """The user, if they may still take this step (they may have changed post since)."""
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    node = activation.flow_task
    perm = node.calc_owner_permission(activation)
    obj = node.calc_owner_permission_obj(activation)
    if perm and not user.has_perm(perm, obj):
        return None
    return user


class DelegationGates:
    """Gate logic shared by the outbound and inbound flows (their decision steps are the same).

    Mixed into a ``flow.Flow``; the nodes refer to these methods through ``this``.
    """

    def start_process(self, activation: Any, request: Any) -> Any:
        """Attach the request to the new process (called by the submit service)."""
        activation.process.artifact = request
        activation.process.data = {}
        return activation.process

    def needs_unit_head(self, activation: Any) -> bool:
        """The unit head's step is skipped when the head files the request or travels in it."""
        return not unit_head_is_party(activation.process)

    def is_ward_route(self, activation: Any) -> bool:
        return request_of(activation.process).route == Route.WARD

    def is_city_route(self, activation: Any) -> bool:
        return request_of(activation.process).route == Route.CITY

    def is_city_route_via_ward(self, activation: Any) -> bool:
        request = request_of(activation.process)
        return bool(request.route == Route.CITY and request.unit.is_ward_managed)

    def applicant_user(self, activation: Any) -> Any:
        return request_of(activation.process).created_by

    def same_person_again(self, activation: Any) -> Any:
        """After a resubmission, the step returns to the person who sent the dossier back."""
        data = activation.process.data
        if data.get(RETURNED_FROM) != activation.flow_task.name:
            return None
        return user_if_still_allowed(data.get(RETURNED_BY), activation)

    def last_reviewer(self, activation: Any) -> Any:
        """The department reviewer who handled the dossier before keeps it."""
        return user_if_still_allowed(activation.process.data.get(REVIEWER), activation)


class DecisionSteps(DelegationGates):
    """The decision steps the outbound and inbound flows share, node for node, and the report's
    review at the end.

    viewflow copies the nodes a flow inherits from this mixin into the flow (one copy per flow,
    named after the attribute), so the node names stored in the database stay
    ``<flow ref>.<node>``. A flow mixing this in defines ``approve`` (what approval starts) and
    ``submit_report`` (the applicant's report); the inbound flow also overrides
    ``check_ward_decision`` (the department is informed of a ward's approval).
    """

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

    # The report handed in after the trip or visit, and its review
    review_report = (
        flow.View(no_stock_view)
        .Annotation(title=_("Xem xét báo cáo kết quả"))
        .Permission(report_reviewer_permission, obj=report_reviewer_unit)
        .Next(this.check_report)
    )
    check_report = flow.If(decided(ACCEPT)).Then(this.closed).Else(this.submit_report)

    closed = flow.End().Annotation(title=_("Kết thúc"))
    rejected = flow.End().Annotation(title=_("Không phê duyệt"))
