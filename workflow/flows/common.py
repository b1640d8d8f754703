"""Pieces every delegation flow shares: decisions stored on the process, permission targets."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.views import View as DjangoView
from viewflow import this
from viewflow.workflow import flow

from approvals.permissions import holds_step_permission
from delegations.facts import HEAD_AUTHORITY, HEAD_SKIPPED, head_step_for, lapsed_steps
from delegations.kinds import AnyRequest
from delegations.models import Route
from org.models import Unit, UnitKind
from workflow.flows.nodes import If, Switch

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


def applicant_step(title: Any) -> Any:
    """A step the applicant takes on the task page (no stock view), titled ``title``."""
    return flow.View(no_stock_view).Annotation(title=title).Assign(this.applicant_user)


def person_step(title: Any, permission: Any, obj: Any) -> Any:
    """A step a person takes on the task page (no stock view), titled ``title`` and open to
    the holders of ``permission`` on ``obj`` (the unit a function of the process)."""
    return flow.View(no_stock_view).Annotation(title=title).Permission(permission, obj=obj)


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


def if_approved(then: Any, otherwise: Any) -> Any:
    """The gate after a yes-or-no step: approval goes on to ``then``, anything else to
    ``otherwise``."""
    return If(decided(APPROVE)).Then(then).Else(otherwise)


def decision_gate(approved: Any, returned: Any) -> Any:
    """The gate after a decision step: approval goes on to ``approved``, a return to
    ``returned``, and a rejection ends the flow (``rejected``)."""
    return (
        Switch()
        .Case(approved, decided(APPROVE))
        .Case(returned, decided(RETURN))
        .Default(this.rejected)
    )


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
    """Whether the head's step is the head's own proposal: a head of the unit filed the request.

    Never because a head travels in the delegation: then the person acting for the head, or
    the managing authority, takes the step (:func:`unit_head_permission`). Also true for
    requests of the department itself, whose head (the Director) decides at a later step.
    """
    return head_step_for(request_of(process)).mode == HEAD_SKIPPED


def _head_goes_to_authority(process: Any) -> bool:
    return head_step_for(request_of(process)).mode == HEAD_AUTHORITY


def unit_head_permission(activation: Any) -> str:
    """The head's step: the unit head's permission, or the managing authority's when every
    head travels in the delegation and nobody acts for them (ward chair for ward-managed
    schools, the department's reviewers otherwise)."""
    process = activation.process
    if not _head_goes_to_authority(process):
        return "org.approve_as_unit_head"
    if request_of(process).unit.is_ward_managed:
        return "org.decide_for_ward"
    return "org.review_for_department"


def unit_head_unit(process: Any) -> Unit:
    """Where the head's step is granted: the unit, or its managing authority (see above)."""
    unit: Unit = request_of(process).unit
    if not _head_goes_to_authority(process):
        return unit
    return unit.ward() if unit.is_ward_managed else unit.department()


def head_step_note(task: Any) -> str:
    """The note shown on a head's step that did not go to the unit's head, or ""."""
    if task.flow_task.name != "review_by_unit_head":
        return ""
    request = request_of(task.process)
    if task.owner_permission and task.owner_permission != "org.approve_as_unit_head":
        return str(
            _(
                "Thủ trưởng đơn vị là thành viên đoàn và không có người được giao quyền thủ "
                "trưởng vào ngày này: cơ quan quản lý xem xét thay bước cho ý kiến của đơn vị."
            )
        )
    if head_step_for(request).head_travels:
        return str(
            _(
                "Thủ trưởng đơn vị là thành viên đoàn: người được giao quyền thủ trưởng "
                "đơn vị xem xét bước này."
            )
        )
    return ""


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
    if perm and not holds_step_permission(user, perm, obj.pk if obj is not None else None):
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
        """The unit head's step is skipped only when a head files the request (never because a
        head travels in it), and for requests of the department itself."""
        return not unit_head_is_party(activation.process)

    def unit_head_assignee(self, activation: Any) -> Any:
        """After a return by the head, the head again; when a head travels, whoever acts for
        them that day (the step is theirs, not the queue's)."""
        again = self.same_person_again(activation)
        if again is not None:
            return again
        head = head_step_for(request_of(activation.process))
        if head.acting_for_traveller is None:
            return None
        return user_if_still_allowed(head.acting_for_traveller, activation)

    def is_department_office(self, activation: Any) -> bool:
        """A request of a department office's staff: their office head, then the Director."""
        return bool(request_of(activation.process).unit.kind == UnitKind.DEPARTMENT_OFFICE)

    def office_to_director(self, activation: Any) -> bool:
        return self.is_department_office(activation) and not self.is_city_route(activation)

    def office_to_city(self, activation: Any) -> bool:
        return self.is_department_office(activation) and self.is_city_route(activation)

    def head_approval_lapsed(self, activation: Any) -> bool:
        """The head's approval lapsed at this resubmission: the head sees the dossier again."""
        process = activation.process
        return bool(
            "review_by_unit_head" in lapsed_steps(request_of(process))
            and not unit_head_is_party(process)
        )

    def ward_proposal_lapsed(self, activation: Any) -> bool:
        return bool(
            "propose_by_ward_chair" in lapsed_steps(request_of(activation.process))
            and self.is_city_route_via_ward(activation)
        )

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
        If(this.needs_unit_head).Then(this.review_by_unit_head).Else(this.check_route)
    )

    # Unit head (thủ trưởng đơn vị)
    review_by_unit_head = (
        person_step(_("Thủ trưởng đơn vị cho ý kiến"), unit_head_permission, unit_head_unit)
        .Assign(this.unit_head_assignee)
        .Next(this.check_unit_head_decision)
    )
    check_unit_head_decision = decision_gate(this.check_route, this.resubmit_by_applicant)

    check_route = (
        Switch()
        .Case(this.decide_by_ward_chair, this.is_ward_route)
        .Case(this.propose_by_ward_chair, this.is_city_route_via_ward)
        .Case(this.decide_by_director, this.office_to_director)
        .Case(this.propose_by_director, this.office_to_city)
        .Default(this.review_by_department)
    )

    # Ward People's Committee (UBND phường)
    decide_by_ward_chair = (
        person_step(_("Chủ tịch UBND phường quyết định"), "org.decide_for_ward", ward_of_process)
        .Assign(this.same_person_again)
        .Next(this.check_ward_decision)
    )
    check_ward_decision = decision_gate(this.approve, this.resubmit_by_applicant)

    # "CITY via ward": the ward chair proposes before the department reviews
    propose_by_ward_chair = (
        person_step(_("Chủ tịch UBND phường đề xuất"), "org.decide_for_ward", ward_of_process)
        .Assign(this.same_person_again)
        .Next(this.check_ward_proposal)
    )
    check_ward_proposal = decision_gate(this.review_by_department, this.resubmit_by_applicant)

    # Department office (Văn phòng Sở) and the Director
    review_by_department = (
        person_step(_("Văn phòng Sở thẩm định"), "org.review_for_department", department_of_process)
        .Assign(this.last_reviewer)
        .Next(this.check_department_review)
    )
    check_department_review = (
        Switch()
        .Case(this.resubmit_by_applicant, decided(RETURN))
        .Case(this.rejected, decided(REJECT))
        .Case(this.propose_by_director, this.is_city_route)
        .Default(this.decide_by_director)
    )
    decide_by_director = person_step(
        _("Lãnh đạo Sở quyết định"), "org.decide_for_department", department_of_process
    ).Next(this.check_director_decision)
    check_director_decision = decision_gate(this.approve, this.review_by_department)
    propose_by_director = person_step(
        _("Lãnh đạo Sở trình UBND Thành phố"), "org.decide_for_department", department_of_process
    ).Next(this.check_director_proposal)
    check_director_proposal = decision_gate(this.record_city_decision, this.review_by_department)
    record_city_decision = (
        person_step(
            _("Ghi nhận quyết định của UBND Thành phố"),
            "org.review_for_department",
            department_of_process,
        )
        .Assign(this.last_reviewer)
        .Next(this.check_city_decision)
    )
    check_city_decision = if_approved(this.approve, this.rejected)

    # Applicant: complete what was asked for and resubmit to the step that returned it
    resubmit_by_applicant = applicant_step(_("Bổ sung hồ sơ và trình lại")).Next(
        this.check_resubmission
    )
    check_resubmission = (
        Switch()
        # An approval whose content changed lapsed: back to the first step that lost it
        .Case(this.review_by_unit_head, this.head_approval_lapsed)
        .Case(this.propose_by_ward_chair, this.ward_proposal_lapsed)
        # Nothing an approval covered changed: back to the step that returned it
        .Case(this.review_by_unit_head, returned_from("review_by_unit_head"))
        .Case(this.decide_by_ward_chair, returned_from("decide_by_ward_chair"))
        .Case(this.propose_by_ward_chair, returned_from("propose_by_ward_chair"))
        .Default(this.review_by_department)
    )

    # The report handed in after the trip or visit, and its review
    review_report = person_step(
        _("Xem xét báo cáo kết quả"), report_reviewer_permission, report_reviewer_unit
    ).Next(this.check_report)
    check_report = If(decided(ACCEPT)).Then(this.closed).Else(this.submit_report)

    closed = flow.End().Annotation(title=_("Kết thúc"))
    rejected = flow.End().Annotation(title=_("Không phê duyệt"))
