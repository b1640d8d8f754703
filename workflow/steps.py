"""What each human step of the flows accepts, and who may take it.

The inbox, the task pages and the API read this table; the domain effect of each decision is
in the services of the request's app (``delegations.services``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "approve": _("Đồng ý"),
    "return": _("Trả lại, yêu cầu bổ sung"),
    "reject": _("Không đồng ý"),
    "accept": _("Chấp nhận báo cáo"),
    "submit": _("Nộp"),
}


#: What completing a step does to the dossier (``Step.effect``).
DECIDES = "decides"  # a decision on the dossier, stamped with the rule outcomes
RESUBMITS = "resubmits"  # the submission service already re-evaluated and stamped
HANDS_IN_REPORT = "hands_in_report"  # the post-trip (post-visit) report is handed in
REVIEWS_REPORT = "reviews_report"  # the report is accepted (the record closes) or returned


@dataclass(frozen=True)
class Step:
    name: str
    actions: tuple[str, ...]
    #: A decision on the dossier (stamped with the rule outcomes) rather than a chore.
    is_decision: bool = True
    #: The step records the city's decision (number, date, outcome).
    records_city_decision: bool = False
    #: Approve here forwards to the next step rather than deciding.
    approve_label: Promise | None = None
    #: What completing the step does to the dossier (one of the constants above).
    effect: str = DECIDES
    #: The department reviewer who takes this step keeps the dossier for its next visits.
    keeps_reviewer: bool = False
    #: Returning the dossier here lists the missing items.
    lists_missing_items: bool = False
    #: The rule set's "timing" parameter giving the step's budget in working days.
    budget_param: str | None = None


@dataclass(frozen=True)
class StepDecision:
    """A completed human step as its flow's decision service receives it
    (``workflow.flows.registry.DECISION_HANDLERS``): the step and its task, who acts
    (``actor.user``, and ``actor.acting_for`` when acting), the action taken, the comment and
    the task form's other fields."""

    step: Step
    task: Any
    actor: Any
    action: str
    comment: str
    fields: dict[str, Any]


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "review_by_unit_head",
            ("approve", "return", "reject"),
            budget_param="unit_head_days",
        ),
        Step(
            "decide_by_ward_chair",
            ("approve", "return", "reject"),
            budget_param="ward_chair_days",
        ),
        Step(
            "propose_by_ward_chair",
            ("approve", "return", "reject"),
            approve_label=_("Đề xuất, chuyển Sở thẩm định"),
            budget_param="ward_chair_days",
        ),
        Step(
            "review_by_department",
            ("approve", "return", "reject"),
            approve_label=_("Thẩm định đạt, trình lãnh đạo Sở"),
            keeps_reviewer=True,
            lists_missing_items=True,
            budget_param="dept_review_days",
        ),
        Step(
            "decide_by_director",
            ("approve", "return", "reject"),
            budget_param="director_days",
        ),
        Step(
            "propose_by_director",
            ("approve", "return", "reject"),
            approve_label=_("Trình UBND Thành phố"),
            budget_param="director_days",
        ),
        Step(
            "record_city_decision",
            ("approve", "reject"),
            records_city_decision=True,
            keeps_reviewer=True,
            budget_param="city_decision_days",
        ),
        Step("resubmit_by_applicant", ("submit",), is_decision=False, effect=RESUBMITS),
        Step("submit_report", ("submit",), is_decision=False, effect=HANDS_IN_REPORT),
        Step(
            "review_report",
            ("accept", "return"),
            is_decision=False,
            effect=REVIEWS_REPORT,
            budget_param="dept_review_days",
        ),
        Step(
            "decide_extension_by_ward",
            ("approve", "reject"),
            budget_param="ward_chair_days",
        ),
        Step(
            "decide_extension_by_director",
            ("approve", "reject"),
            budget_param="director_days",
        ),
        Step(
            "review_agreement_by_unit_head",
            ("approve", "reject"),
            budget_param="unit_head_days",
        ),
        Step(
            "review_agreement_by_department",
            ("approve", "reject"),
            approve_label=_("Thẩm định đạt, trình lãnh đạo Sở"),
            budget_param="dept_review_days",
        ),
        Step(
            "decide_agreement_by_director",
            ("approve", "reject"),
            budget_param="director_days",
        ),
        Step(
            "submit_unit_report",
            ("submit",),
            is_decision=False,
            effect=HANDS_IN_REPORT,
        ),
        Step(
            "approve_unit_report",
            ("approve", "return"),
            approve_label=_("Duyệt báo cáo"),
            budget_param="unit_head_days",
        ),
        Step(
            "record_city_extension",
            ("approve", "reject"),
            records_city_decision=True,
            budget_param="city_decision_days",
        ),
    )
}


#: Budget (working days) of each step, read from the rule set's "timing" group.
STEP_BUDGET_PARAM: dict[str, str] = {
    name: step.budget_param for name, step in STEPS.items() if step.budget_param is not None
}


def step_for(node_name: str) -> Step | None:
    return STEPS.get(node_name)


def action_label(step: Step, action: str) -> str:
    if action == "approve" and step.approve_label is not None:
        return str(step.approve_label)
    return str(ACTION_LABELS.get(action, action))


def step_title(task: Any) -> str:
    """The step's title as the flow annotates it ("Thủ trưởng đơn vị cho ý kiến")."""
    return str(getattr(task.flow_task, "task_title", "") or task.flow_task)
