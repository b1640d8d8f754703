"""Time: the shared ``timing`` parameters and the human decision steps with their due dates.

The steps of each route are data (``authority.steps``); what a step kind means (role, unit,
budget) is here. Due dates count working days (DOMAIN.md §8), each step starting from the due
date of the one before.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from org.calendar import WorkingCalendar, add_working_days
from workflow.rules.param_types import Param, ParamGroup, int_param
from workflow.rules.registry import REGISTRY

OWN_UNIT = "own_unit"
MANAGING_WARD = "managing_ward"
DEPARTMENT = "department"


def _days(name: str, default: int, help_vi: str, help_en: str) -> Param:
    return int_param(name, default, help_vi, help_en, maximum=365)


REGISTRY.add_group(
    ParamGroup(
        "timing",
        "Thời hạn xử lý, báo cáo và nhắc việc",
        "Step budgets, report deadlines and reminders",
        (
            _days("unit_head_days", 2, "Thủ trưởng đơn vị (ngày làm việc)", "Unit head"),
            _days("dept_review_days", 3, "Văn phòng Sở thẩm định (ngày làm việc)", "Review"),
            _days("director_days", 2, "Giám đốc Sở (ngày làm việc)", "Director"),
            _days("ward_chair_days", 3, "Chủ tịch UBND phường (ngày làm việc)", "Ward chair"),
            _days(
                "city_decision_days",
                10,
                "Chờ quyết định của UBND Thành phố (ngày làm việc; giả định)",
                "City decision (assumed)",
            ),
            _days(
                "report_days",
                15,
                "Hạn nộp báo cáo kết quả sau khi về nước (ngày lịch)",
                "Post-trip report (calendar days)",
            ),
            _days(
                "passport_return_days",
                5,
                "Hạn nộp lại hộ chiếu công vụ sau khi về nước (ngày làm việc)",
                "Official passport return (working days)",
            ),
            _days(
                "notify_days",
                4,
                "Thông báo Công an TP, Sở Ngoại vụ trước khi đoàn vào (ngày làm việc)",
                "Agency notice before arrival (working days)",
            ),
            _days(
                "reminder_days_before",
                1,
                "Nhắc việc trước hạn (ngày làm việc)",
                "Reminder before the due date (working days)",
            ),
            _days(
                "escalation_days_after",
                1,
                "Báo cáo cấp trên sau khi quá hạn (ngày làm việc)",
                "Escalation after the due date (working days)",
            ),
        ),
    )
)


@dataclass(frozen=True)
class StepKind:
    """What a kind of human step means: who acts, in which unit, with which budget."""

    key: str
    roles: tuple[str, ...]  # org.models.Role values; the first is the step's role
    unit: str  # OWN_UNIT / MANAGING_WARD / DEPARTMENT
    budget: str  # a name in the timing group
    title_vi: str
    title_en: str
    decides: bool = False


STEP_KINDS: dict[str, StepKind] = {
    k.key: k
    for k in (
        StepKind(
            "unit_head", ("unit_head",), OWN_UNIT, "unit_head_days",
            "Thủ trưởng đơn vị cho ý kiến", "Unit head's approval",
        ),
        StepKind(
            "ward_chair", ("ward_chair",), MANAGING_WARD, "ward_chair_days",
            "Chủ tịch UBND phường quyết định", "Ward chair decides", decides=True,
        ),
        StepKind(
            "ward_chair_proposes", ("ward_chair",), MANAGING_WARD, "ward_chair_days",
            "Chủ tịch UBND phường đề xuất", "Ward chair proposes",
        ),
        StepKind(
            "dept_review", ("dept_reviewer",), DEPARTMENT, "dept_review_days",
            "Văn phòng Sở thẩm định", "Department review",
        ),
        StepKind(
            "director", ("director", "deputy_director"), DEPARTMENT, "director_days",
            "Giám đốc Sở quyết định", "Director decides", decides=True,
        ),
        StepKind(
            "director_proposes", ("director", "deputy_director"), DEPARTMENT, "director_days",
            "Giám đốc Sở trình UBND Thành phố", "Director proposes to the City",
        ),
        StepKind(
            "city_decision", ("dept_reviewer",), DEPARTMENT, "city_decision_days",
            "Ghi nhận quyết định của UBND Thành phố", "City decision recorded", decides=True,
        ),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One human decision step of a request, with its due date."""

    kind: str
    role: str
    roles: tuple[str, ...]
    unit: str
    title_vi: str
    title_en: str
    budget_days: int
    due_on: datetime.date

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "role": self.role,
            "roles": list(self.roles),
            "unit": self.unit,
            "title_vi": self.title_vi,
            "title_en": self.title_en,
            "budget_days": self.budget_days,
            "due_on": self.due_on.isoformat(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Step:
        return cls(
            kind=data["kind"],
            role=data["role"],
            roles=tuple(data["roles"]),
            unit=data["unit"],
            title_vi=data["title_vi"],
            title_en=data["title_en"],
            budget_days=int(data["budget_days"]),
            due_on=datetime.date.fromisoformat(data["due_on"]),
        )


def schedule(
    step_kinds: list[str] | tuple[str, ...],
    *,
    start: datetime.date,
    timing: Mapping[str, Any],
    calendar: WorkingCalendar,
    skip_unit_head: bool = False,
) -> tuple[Step, ...]:
    """The steps in order, each due ``budget`` working days after the previous due date.

    When the applicant is the unit head, the unit-head step is their own proposal and is
    skipped (DOMAIN.md §2, separation of duties).
    """
    steps: list[Step] = []
    due = start
    for key in step_kinds:
        if skip_unit_head and key == "unit_head":
            continue
        kind = STEP_KINDS[key]
        budget = int(timing[kind.budget])
        due = add_working_days(due, budget, calendar)
        steps.append(
            Step(
                kind=kind.key,
                role=kind.roles[0],
                roles=kind.roles,
                unit=kind.unit,
                title_vi=kind.title_vi,
                title_en=kind.title_en,
                budget_days=budget,
                due_on=due,
            )
        )
    return tuple(steps)
