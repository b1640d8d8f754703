"""Which flow drives which kind of request, and which service records its decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model

from delegations.kinds import INBOUND, OUTBOUND
from delegations.services.agreements import agreement_flow_decision
from delegations.services.decisions import apply_decision, outbound_extension_decision
from delegations.services.reporting import unit_report_step
from workflow.flows.agreement import AgreementFlow
from workflow.flows.extension import OutboundExtensionFlow
from workflow.flows.inbound import InboundFlow
from workflow.flows.outbound import OutboundFlow
from workflow.flows.unit_report import UnitReportFlow

#: The main flow of each kind of request.
MAIN_FLOWS: dict[str, type[Any]] = {
    OUTBOUND: OutboundFlow,
    INBOUND: InboundFlow,
    "agreement": AgreementFlow,
    "unit_report": UnitReportFlow,
}

#: Every flow, in the order the docs and the labels list them.
FLOWS: list[type[Any]] = [
    OutboundFlow,
    OutboundExtensionFlow,
    InboundFlow,
    AgreementFlow,
    UnitReportFlow,
]

#: The domain service that records a decision of each flow. The two main flows share their
#: decision steps, and so the service that records them.
DECISION_HANDLERS: dict[type[Any], Callable[..., None]] = {
    OutboundFlow: apply_decision,
    InboundFlow: apply_decision,
    OutboundExtensionFlow: outbound_extension_decision,
    AgreementFlow: agreement_flow_decision,
    UnitReportFlow: unit_report_step,
}


def main_flow_for(request: Model) -> Any:
    """The main flow of a request, by its kind; :class:`LookupError` for anything else."""
    flow_class = MAIN_FLOWS.get(getattr(request, "request_kind", ""))
    if flow_class is None:
        raise LookupError(f"No flow for {type(request).__name__}")
    return flow_class


def all_flows() -> list[Any]:
    """Every flow (the docs writer and the labels read them)."""
    return list(FLOWS)
