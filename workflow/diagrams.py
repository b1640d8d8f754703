"""Mermaid diagrams of the flows, generated from the flow classes themselves."""

from __future__ import annotations

from typing import Any

from workflow.steps import STEP_BUDGET_PARAM

SHAPES = {
    "START": ('(["', '"])'),
    "HUMAN": ('["', '"]'),
    "FUNCTION": ('[["', '"]]'),
    "END": ('(("', '"))'),
}


def _label(node: Any) -> str:
    title = str(getattr(node, "task_title", "") or "")
    name: str = node.name
    if type(node).__name__ in ("If", "Switch"):
        return name
    return f"{title}<br/><small>{name}</small>" if title and title != name else name


def _shape(node: Any) -> tuple[str, str]:
    kind = type(node).__name__
    if kind in ("If", "Switch"):
        return ('{"', '"}')
    if kind in ("End",):
        return SHAPES["END"]
    if kind in ("StartHandle", "Start"):
        return SHAPES["START"]
    if kind in ("Function", "Handle"):
        return SHAPES["FUNCTION"]
    return SHAPES["HUMAN"]


def mermaid(flow_class: Any) -> str:
    """A ``flowchart TD`` with one box per node and one arrow per edge, in declaration order."""
    lines = ["flowchart TD"]
    nodes = list(flow_class.instance.nodes())
    for node in nodes:
        left, right = _shape(node)
        lines.append(f"    {node.name}{left}{_label(node)}{right}")
    for node in nodes:
        for edge in node._outgoing():
            style = "-.->" if edge.edge_class == "default" else "-->"
            lines.append(f"    {edge.src.name} {style} {edge.dst.name}")
    return "\n".join(lines)


def step_table(flow_class: Any) -> str:
    """Human steps: the node, its title, the permission that may take it."""
    rows = ["| step | title | who may take it | budget |", "|---|---|---|---|"]
    for node in flow_class.instance.nodes():
        if getattr(node, "task_type", "") != "HUMAN":
            continue
        perm = node._owner_permission
        who = perm if isinstance(perm, str) else ("assigned" if perm is None else "by route")
        if perm is None and node._owner is not None:
            who = "the applicant (assigned)"
        budget = STEP_BUDGET_PARAM.get(node.name, "")
        rows.append(f"| `{node.name}` | {node.task_title} | {who} | {budget} |")
    return "\n".join(rows)
