"""Evaluation: every rule over a request's facts, the route, and the human steps with due dates.

:func:`evaluate_facts` is pure: facts (a trip's or a visit's), parameters, a date and a working
calendar in, an :class:`Evaluation` out. The application's convenience that reads the
facts, the rule-set version in force and the calendar from the database is
:func:`delegations.facts.evaluate`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from org.calendar import WorkingCalendar
from workflow.rules.authority import route_for_inbound, route_for_outbound, route_steps
from workflow.rules.facts import InboundFacts, OutboundFacts
from workflow.rules.pack import all_rules
from workflow.rules.params import ParamSet, as_param_set
from workflow.rules.registry import (
    INBOUND,
    OUTBOUND,
    Check,
    Context,
    Route,
    Rule,
    Severity,
)
from workflow.rules.timing import Step, schedule

Params = ParamSet | Mapping[str, Any] | None


@dataclass(frozen=True)
class Evaluation:
    """The rule pack's answer for one request on one day."""

    direction: str  # OUTBOUND / INBOUND
    route: Route
    #: The route from the authority matrix alone, before route rules raised it.
    base_route: Route
    checks: tuple[Check, ...]
    steps: tuple[Step, ...]
    on: datetime.date
    #: Primary key of the rule-set version used (None: the code defaults).
    ruleset_version: int | None = None

    @property
    def expected_decision_on(self) -> datetime.date | None:
        return self.steps[-1].due_on if self.steps else None

    @property
    def blocking(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed and c.severity is Severity.BLOCK)

    @property
    def needing_justification(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.needs_justification)

    @property
    def warnings(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed and c.severity is Severity.WARN)

    def check(self, rule_id: str) -> Check | None:
        return next((c for c in self.checks if c.rule == rule_id), None)

    def missing_justifications(self, justifications: Mapping[str, str]) -> list[str]:
        """Rule ids that need a written justification and have none (blank counts as none)."""
        return [
            c.rule for c in self.needing_justification if not justifications.get(c.rule, "").strip()
        ]

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        """The preview shape of the API (approvers are added by the caller)."""
        return {
            "route": str(self.route),
            "checks": [c.as_dict(language) for c in self.checks],
            "expected_decision_on": _iso(self.expected_decision_on),
        }

    def to_json(self) -> dict[str, Any]:
        """The stamped form: stable keys, both languages, dates as ISO strings."""
        return {
            "direction": self.direction,
            "route": str(self.route),
            "base_route": str(self.base_route),
            "on": self.on.isoformat(),
            "ruleset_version": self.ruleset_version,
            "checks": [c.to_json() for c in self.checks],
            "steps": [s.to_json() for s in self.steps],
            "expected_decision_on": _iso(self.expected_decision_on),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Evaluation:
        return cls(
            direction=data["direction"],
            route=Route(data["route"]),
            base_route=Route(data["base_route"]),
            checks=tuple(Check.from_json(c) for c in data["checks"]),
            steps=tuple(Step.from_json(s) for s in data["steps"]),
            on=datetime.date.fromisoformat(data["on"]),
            ruleset_version=data.get("ruleset_version"),
        )


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _check(rule: Rule, facts: Any, ctx: Context) -> Check:
    outcome = rule.function(facts, ctx)
    return Check(
        rule=rule.id,
        severity=rule.severity,
        passed=outcome.passed,
        message_vi=outcome.message_vi,
        message_en=outcome.message_en,
        basis=rule.basis,
        confidence=rule.confidence,
        route=outcome.route,
        needs_justification=not outcome.passed and rule.severity is Severity.JUSTIFY,
    )


def _evaluate(
    direction: str,
    facts: OutboundFacts | InboundFacts,
    base_route: Route,
    managed_by: str,
    *,
    params: Params,
    on: datetime.date,
    calendar: WorkingCalendar | None,
) -> Evaluation:
    param_set = as_param_set(params)
    values = param_set.values
    calendar = calendar or WorkingCalendar()
    rules = [r for r in all_rules(direction) if r.applies(facts)]

    def context(rule: Rule, expected: datetime.date | None = None) -> Context:
        return Context(values[rule.id], values, on, calendar, expected)

    checks = {r.id: _check(r, facts, context(r)) for r in rules if not r.needs_schedule}

    route = Route.highest(base_route, *(c.route for c in checks.values())) or base_route
    raisers = [r.id for r in rules if r.raises_route and r.id in checks and not checks[r.id].passed]
    if raisers:
        route = route.one_level_up()
        for rule_id in raisers:
            checks[rule_id] = dataclasses.replace(checks[rule_id], route=route)

    skip_head = facts.applicant_is_unit_head
    unit = facts.unit if isinstance(facts, OutboundFacts) else facts.host_unit
    kinds = route_steps(values["authority"]["steps"], route, managed_by, unit.kind)
    timing = values["timing"]
    steps = schedule(kinds, start=on, timing=timing, calendar=calendar, skip_unit_head=skip_head)

    deferred = [r for r in rules if r.needs_schedule]
    if deferred:
        # Lead times run from the submission date: re-plan the steps from it when it differs.
        start = facts.submitted_on or on
        planned = (
            steps
            if start == on
            else schedule(
                kinds, start=start, timing=timing, calendar=calendar, skip_unit_head=skip_head
            )
        )
        expected = planned[-1].due_on if planned else start
        checks.update({r.id: _check(r, facts, context(r, expected)) for r in deferred})

    return Evaluation(
        direction=direction,
        route=route,
        base_route=base_route,
        checks=tuple(checks[r.id] for r in rules),
        steps=steps,
        on=on,
    )


def evaluate_facts(
    facts: OutboundFacts | InboundFacts,
    *,
    params: Params = None,
    on: datetime.date,
    calendar: WorkingCalendar | None = None,
) -> Evaluation:
    """Every rule that concerns this trip or visit, the route and the steps from ``on``.

    ``params`` is a :class:`ParamSet` or the JSON of a rule-set version (merged over the
    defaults); ``None`` means the code defaults. ``calendar`` defaults to public holidays only.
    """
    param_set = as_param_set(params)
    if isinstance(facts, OutboundFacts):
        base = route_for_outbound(facts, param_set.values)
        direction, managed_by = OUTBOUND, facts.unit.managed_by
    else:
        base = route_for_inbound(facts, param_set.values)
        direction, managed_by = INBOUND, facts.host_unit.managed_by
    return _evaluate(direction, facts, base, managed_by, params=param_set, on=on, calendar=calendar)
