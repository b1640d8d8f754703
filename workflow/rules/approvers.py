"""Who is expected to act on each step: role holders and acting holders on a given day.

Reads the directory, writes nothing, and runs at most four queries whatever the number of
steps: the applicant's unit (with its managing authority and parent), the department when it is
not one of those, the role assignments and the acting assignments in force.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from org.models import ActingAssignment, RoleAssignment, Unit, UnitKind
from workflow.rules.timing import DEPARTMENT, MANAGING_WARD, OWN_UNIT, Step


@dataclass(frozen=True)
class Approver:
    user: Any  # the user model instance
    role: str
    unit: Unit
    #: The holder this user acts for (quyền, phụ trách), or None for the holder themself.
    acting_for: Any = None

    @property
    def full_name(self) -> str:
        person = getattr(self.user, "person", None)
        return person.full_name if person is not None else self.user.get_username()


@dataclass(frozen=True)
class StepApprovers:
    step: Step
    #: The unit where the step is decided (own unit, managing ward or department), if found.
    unit: Unit | None
    approvers: tuple[Approver, ...]


def _department_of(unit: Unit) -> Unit | None:
    for candidate in (unit, unit.managing_authority, unit.parent):
        if candidate is not None and candidate.kind == UnitKind.DEPARTMENT:
            return candidate
    return None


def _in_scope(unit: Unit, scope: str, targets: dict[str, Unit | None]) -> bool:
    target = targets[scope]
    if target is None:
        return False
    if unit.pk == target.pk:
        return True
    # The department's reviewers hold their role in an office of the department (Văn phòng Sở).
    return (
        scope == DEPARTMENT
        and unit.kind == UnitKind.DEPARTMENT_OFFICE
        and unit.parent_id == target.pk
    )


def resolve_approvers(
    steps: Iterable[Step],
    *,
    unit: Unit,
    on: datetime.date,
    exclude_user_ids: Collection[int] = (),
) -> list[StepApprovers]:
    """For each step, the users holding its role on ``on`` in the step's unit.

    Acting holders come with ``acting_for``; a holder who is being acted for that day is left
    out (the task goes to whoever holds the role that day). ``exclude_user_ids`` removes people
    who may not decide (the applicant, the members: separation of duties).
    """
    steps = list(steps)
    unit = Unit.objects.select_related("managing_authority", "parent").get(pk=unit.pk)
    ward = unit if unit.kind == UnitKind.WARD else unit.managing_authority
    targets: dict[str, Unit | None] = {
        OWN_UNIT: unit,
        MANAGING_WARD: ward if ward is not None and ward.kind == UnitKind.WARD else None,
        DEPARTMENT: None,
    }
    if any(s.unit == DEPARTMENT for s in steps):
        departments = Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True)
        targets[DEPARTMENT] = _department_of(unit) or departments.order_by("code").first()
    roles = {role for s in steps for role in s.roles}
    found = [t for t in targets.values() if t is not None]
    unit_q = Q(unit__in=found)
    if targets[DEPARTMENT] is not None:
        unit_q |= Q(unit__parent=targets[DEPARTMENT], unit__kind=UnitKind.DEPARTMENT_OFFICE)
    holders = list(
        RoleAssignment.objects.effective_on(on)
        .filter(unit_q, role__in=roles)
        .select_related("user__person", "unit")
        .order_by("user__username")
    )
    acting = list(
        ActingAssignment.objects.effective_on(on)
        .filter(unit_q, role__in=roles)
        .select_related("acting_user__person", "holder", "unit")
        .order_by("acting_user__username")
    )
    away = {(a.holder_id, a.role, a.unit_id) for a in acting if a.holder_id}
    excluded = set(exclude_user_ids)

    result = []
    for step in steps:
        approvers: list[Approver] = []
        seen: set[int] = set()
        for role in step.roles:
            candidates = [
                Approver(h.user, role, h.unit)
                for h in holders
                if h.role == role
                and _in_scope(h.unit, step.unit, targets)
                and (h.user_id, role, h.unit_id) not in away
            ] + [
                Approver(a.acting_user, role, a.unit, acting_for=a.holder)
                for a in acting
                if a.role == role and _in_scope(a.unit, step.unit, targets)
            ]
            for approver in candidates:
                if approver.user.pk in excluded or approver.user.pk in seen:
                    continue
                seen.add(approver.user.pk)
                approvers.append(approver)
        result.append(StepApprovers(step, targets[step.unit], tuple(approvers)))
    return result
