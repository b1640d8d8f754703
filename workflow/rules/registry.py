"""The rule model: rules, their parameters and their results, registered by stable id.

A rule is one small documented function over facts (:mod:`workflow.rules.facts`), decorated
with :func:`rule`, which records its id, titles, legal basis, confidence, severity and named
parameters. The function returns an :class:`Outcome`; the engine turns it into a :class:`Check`,
the record that is shown to approvers and stamped on the request.

Titles and messages carry both languages explicitly instead of going through gettext: a check
is a legal record stamped at submission and at decision, and it must read the same years later
whatever the translation catalogues say then.
"""

from __future__ import annotations

import datetime
import enum
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from org.calendar import WorkingCalendar
from workflow.rules.param_types import Param, ParamGroup


class Severity(enum.StrEnum):
    BLOCK = "block"  # cannot submit
    JUSTIFY = "justify"  # can submit with a written justification shown to every approver
    ROUTE = "route"  # changes who decides
    WARN = "warn"  # shown, no action needed


class Confidence(enum.StrEnum):
    CONFIRMED = "C"  # in the legal text
    #: Partly in the legal text, partly reported (OUT-BARRED: the exit ban is in Luật 49/2019,
    #: the other grounds come from Quy định 2184-QĐ/TU as reported).
    CONFIRMED_REPORTED = "C/R"
    REPORTED = "R"  # official press or predecessor decisions
    ASSUMED = "A"  # assumed practice, must stay configurable


class Route(enum.StrEnum):
    """Who decides, in increasing order of authority."""

    WARD = "WARD"
    DEPT = "DEPT"
    CITY = "CITY"

    @property
    def level(self) -> int:
        return _ROUTE_ORDER.index(self)

    def one_level_up(self) -> Route:
        return _ROUTE_ORDER[min(self.level + 1, len(_ROUTE_ORDER) - 1)]

    @classmethod
    def highest(cls, *routes: Route | None) -> Route | None:
        present = [r for r in routes if r is not None]
        return max(present, key=lambda r: r.level) if present else None


_ROUTE_ORDER = (Route.WARD, Route.DEPT, Route.CITY)

OUTBOUND = "outbound"
INBOUND = "inbound"


@dataclass(frozen=True)
class Context:
    """What a rule may read besides the facts."""

    #: This rule's parameters, as Python values.
    params: Mapping[str, Any]
    #: Every group's parameters (``all_params["timing"]["notify_days"]``), as Python values.
    all_params: Mapping[str, Mapping[str, Any]]
    on: datetime.date
    calendar: WorkingCalendar
    #: The expected decision date, for rules declared with ``needs_schedule=True``.
    expected_decision_on: datetime.date | None = None


@dataclass(frozen=True)
class Outcome:
    """What a rule function returns; the engine adds the rule's metadata."""

    passed: bool
    message_vi: str
    message_en: str
    route: Route | None = None


def passed(message_vi: str, message_en: str, route: Route | None = None) -> Outcome:
    return Outcome(True, message_vi, message_en, route)


def failed(message_vi: str, message_en: str, route: Route | None = None) -> Outcome:
    return Outcome(False, message_vi, message_en, route)


CheckFunction = Callable[[Any, Context], Outcome]


@dataclass(frozen=True)
class Rule:
    id: str
    title_vi: str
    title_en: str
    basis: str
    confidence: Confidence
    severity: Severity
    applies_to: str  # OUTBOUND / INBOUND
    function: CheckFunction
    params: tuple[Param, ...] = ()
    #: Outbound trip kinds the rule concerns ("official", "personal"); empty means all.
    kinds: tuple[str, ...] = ()
    #: Shared parameters the rule reads, "group.name", listed in the documentation.
    uses: tuple[str, ...] = ()
    #: When failed, raise the route one level (OUT-ANNUAL-QUOTA).
    raises_route: bool = False
    #: Evaluated after the route and the steps are known (IN-NOTIFY-LEAD).
    needs_schedule: bool = False

    @property
    def group(self) -> ParamGroup:
        return ParamGroup(self.id, self.title_vi, self.title_en, self.params)

    def applies(self, facts: Any) -> bool:
        return not self.kinds or getattr(facts, "kind", None) in self.kinds

    @property
    def doc(self) -> str:
        return (self.function.__doc__ or "").strip()


@dataclass(frozen=True)
class Check:
    """The outcome of one rule for one request: shown, stored, and explained years later."""

    rule: str
    severity: Severity
    passed: bool
    message_vi: str
    message_en: str
    basis: str
    confidence: Confidence
    #: The route the rule imposes or raises the request to, if any.
    route: Route | None = None
    needs_justification: bool = False

    def message(self, language: str | None = None) -> str:
        """The message in ``language`` (default: the active language); Vietnamese otherwise."""
        language = language or get_language() or "vi"
        return self.message_en if language.lower().startswith("en") else self.message_vi

    def title(self, language: str | None = None) -> str:
        """The rule's title, what people read instead of its id (the id if no longer known)."""
        rule = REGISTRY.rules.get(self.rule)
        if rule is None:
            return self.rule
        language = language or get_language() or "vi"
        return rule.title_en if language.lower().startswith("en") else rule.title_vi

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        """The API shape: ``{"rule","title","severity","passed","message","basis"}``."""
        return {
            "rule": self.rule,
            "title": self.title(language),
            "severity": str(self.severity),
            "passed": self.passed,
            "message": self.message(language),
            "basis": self.basis,
        }

    def to_json(self) -> dict[str, Any]:
        """The stamped form, both languages; keys and values are stable across releases."""
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "passed": self.passed,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "basis": self.basis,
            "confidence": str(self.confidence),
            "route": str(self.route) if self.route else None,
            "needs_justification": self.needs_justification,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Check:
        return cls(
            rule=data["rule"],
            severity=Severity(data["severity"]),
            passed=bool(data["passed"]),
            message_vi=data["message_vi"],
            message_en=data["message_en"],
            basis=data["basis"],
            confidence=Confidence(data["confidence"]),
            route=Route(data["route"]) if data.get("route") else None,
            needs_justification=bool(data.get("needs_justification", False)),
        )


@dataclass
class Registry:
    """Rules by id in registration order, plus the shared parameter groups.

    Holds only what has been imported so far: :mod:`workflow.rules.pack` imports every rule
    module, and callers read the rules through it.
    """

    rules: dict[str, Rule] = field(default_factory=dict)
    shared_groups: dict[str, ParamGroup] = field(default_factory=dict)

    def add(self, rule: Rule) -> None:
        if rule.id in self.rules or rule.id in self.shared_groups:
            raise ValueError(f"rule {rule.id} is registered twice")
        self.rules[rule.id] = rule

    def add_group(self, group: ParamGroup) -> None:
        if group.key in self.rules or group.key in self.shared_groups:
            raise ValueError(f"parameter group {group.key} is registered twice")
        self.shared_groups[group.key] = group

    def all_rules(self, applies_to: str | None = None) -> list[Rule]:
        """Every rule in registry order, optionally only outbound or inbound ones."""
        return [r for r in self.rules.values() if applies_to in (None, r.applies_to)]

    def param_groups(self) -> dict[str, ParamGroup]:
        """Every parameter group: one per rule (even without parameters), then the shared ones."""
        groups = {r.id: r.group for r in self.rules.values()}
        groups.update(self.shared_groups)
        return groups


REGISTRY = Registry()


def rule(
    rule_id: str,
    *,
    title_vi: str,
    title_en: str,
    basis: str,
    confidence: Confidence,
    severity: Severity,
    applies_to: str,
    params: tuple[Param, ...] = (),
    kinds: tuple[str, ...] = (),
    uses: tuple[str, ...] = (),
    raises_route: bool = False,
    needs_schedule: bool = False,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the rule ``rule_id``."""

    def register(function: CheckFunction) -> CheckFunction:
        REGISTRY.add(
            Rule(
                id=rule_id,
                title_vi=title_vi,
                title_en=title_en,
                basis=basis,
                confidence=confidence,
                severity=severity,
                applies_to=applies_to,
                function=function,
                params=params,
                kinds=kinds,
                uses=uses,
                raises_route=raises_route,
                needs_schedule=needs_schedule,
            )
        )
        return function

    return register


#: :func:`rule` for the outbound and the inbound rule modules, each rule naming its direction once.
outbound_rule = functools.partial(rule, applies_to=OUTBOUND)
inbound_rule = functools.partial(rule, applies_to=INBOUND)
