"""The rule pack with every rule loaded: the one module callers read rules and groups from.

Importing a rule module registers its rules (and shared parameter groups) in
:data:`workflow.rules.registry.REGISTRY`, in import order, which is the order of the checks,
of ``docs/rules.md`` and of the default parameters. The rule modules import the registry for
the decorator; the registry imports none of them, and this module imports them all.
"""

from __future__ import annotations

# isort: off
# Registry order: the shared groups ("timing", then "authority"), inbound rules, outbound rules.
from workflow.rules import timing, authority, inbound, outbound, outbound_more

# isort: on
from django.utils.translation import get_language

from workflow.rules.param_types import ParamGroup
from workflow.rules.registry import REGISTRY, Rule

#: The modules whose import registers the rules, in registry order.
MODULES = (timing, authority, inbound, outbound, outbound_more)


def all_rules(applies_to: str | None = None) -> list[Rule]:
    """Every rule in registry order, optionally only outbound or inbound ones."""
    return REGISTRY.all_rules(applies_to)


def get_rule(rule_id: str) -> Rule:
    return REGISTRY.rules[rule_id]


def param_groups() -> dict[str, ParamGroup]:
    """Every parameter group: one per rule (even without parameters), then the shared ones."""
    return REGISTRY.param_groups()


def rule_title(rule_id: str, language: str | None = None) -> str:
    """What people read for a rule: its title in ``language`` (default: the active one).

    An id the pack no longer knows (a rule retired since a stamp was written) reads as itself.
    """
    rule = REGISTRY.rules.get(rule_id)
    if rule is None:
        return rule_id
    language = language or get_language() or "vi"
    return rule.title_en if language.lower().startswith("en") else rule.title_vi
