"""Process verbs of the MOU register: a unit's proposal starts its approval flow."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from delegations.models import Agreement
from delegations.services.agreements import AgreementInput, agreement_propose
from org.models import Unit
from workflow.flows.agreement import AgreementFlow
from workflow.services.engine import flow_start


@transaction.atomic
def agreement_submit(*, actor: User, unit: Unit, data: AgreementInput) -> Agreement:
    """Propose an MOU and send it to the unit's head (or straight to the department)."""
    agreement = agreement_propose(actor=actor, unit=unit, data=data)
    flow_start(AgreementFlow, agreement)
    return agreement
