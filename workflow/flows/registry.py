"""Which flow drives which kind of request, and which service records its decisions."""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def main_flow_for(request: Model) -> Any:
    kind = getattr(request, "request_kind", None)
    if kind == "outbound":
        from workflow.flows.outbound import OutboundFlow

        return OutboundFlow
    if kind == "inbound":
        from workflow.flows.inbound import InboundFlow

        return InboundFlow
    raise LookupError(f"No flow for {type(request).__name__}")


def all_flows() -> list[Any]:
    from workflow.flows.extension import OutboundExtensionFlow
    from workflow.flows.inbound import InboundFlow
    from workflow.flows.outbound import OutboundFlow

    return [OutboundFlow, OutboundExtensionFlow, InboundFlow]


def decision_handler_for(flow_class: Any, request: Model) -> Any:
    """The domain service that records a decision of this flow on this request."""
    from workflow.flows.extension import OutboundExtensionFlow

    if flow_class is OutboundExtensionFlow:
        from delegations.services.outbound_extension import outbound_extension_decision

        return outbound_extension_decision
    kind = getattr(request, "request_kind", None)
    if kind in ("outbound", "inbound"):
        # The two flows share their decision steps, and so the service that records them.
        from delegations.services.outbound_flow import apply_decision

        return apply_decision
    raise LookupError(f"No decision handler for {type(request).__name__}")
