"""Which flow drives which kind of request, and which service records its decisions."""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def main_flow_for(request: Model) -> Any:
    kind = getattr(request, "request_kind", None)
    if kind == "outbound":
        from workflow.flows.outbound import OutboundFlow

        return OutboundFlow
    raise LookupError(f"No flow for {type(request).__name__}")


def decision_handler_for(request: Model) -> Any:
    kind = getattr(request, "request_kind", None)
    if kind == "outbound":
        from delegations.services.outbound_flow import outbound_apply_decision

        return outbound_apply_decision
    raise LookupError(f"No decision handler for {type(request).__name__}")
