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


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step("review_by_unit_head", ("approve", "return", "reject")),
        Step("decide_by_ward_chair", ("approve", "return", "reject")),
        Step(
            "propose_by_ward_chair",
            ("approve", "return", "reject"),
            approve_label=_("Đề xuất, chuyển Sở thẩm định"),
        ),
        Step(
            "review_by_department",
            ("approve", "return", "reject"),
            approve_label=_("Thẩm định đạt, trình lãnh đạo Sở"),
        ),
        Step("decide_by_director", ("approve", "return", "reject")),
        Step(
            "propose_by_director",
            ("approve", "return", "reject"),
            approve_label=_("Trình UBND Thành phố"),
        ),
        Step("record_city_decision", ("approve", "reject"), records_city_decision=True),
        Step("resubmit_by_applicant", ("submit",), is_decision=False),
        Step("submit_report", ("submit",), is_decision=False),
        Step("review_report", ("accept", "return"), is_decision=False),
        Step("decide_extension_by_ward", ("approve", "reject")),
        Step("decide_extension_by_director", ("approve", "reject")),
        Step("record_city_extension", ("approve", "reject"), records_city_decision=True),
    )
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
