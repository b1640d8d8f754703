"""Evaluate one rule through the engine, as the application does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workflow.rules.engine import Evaluation, evaluate_facts
from workflow.rules.facts import InboundFacts, OutboundFacts
from workflow.rules.registry import Check

ON = dt.date(2027, 1, 4)


def run(
    facts: OutboundFacts | InboundFacts, params: dict[str, Any] | None = None, on: dt.date = ON
) -> Evaluation:
    return evaluate_facts(facts, params=params, on=on)


def check(
    facts: OutboundFacts | InboundFacts,
    rule_id: str,
    params: dict[str, Any] | None = None,
    on: dt.date = ON,
) -> Check:
    found = run(facts, params, on).check(rule_id)
    assert found is not None, f"{rule_id} was not evaluated"
    return found
