"""Driving the flows (:mod:`workflow.services.engine`) and the process verbs of each kind of
request (:mod:`workflow.services.submission` for both, :mod:`workflow.services.outbound`,
:mod:`workflow.services.inbound`): every verb calls
its domain service in :mod:`delegations.services`, then moves the flow, in one transaction.

Import from here: ``from workflow.services import request_submit, task_complete``.
"""

from __future__ import annotations

from workflow.services.agreements import agreement_submit
from workflow.services.engine import (
    OPEN_STATUSES,
    Actor,
    acting_for,
    flow_cancel,
    flow_start,
    handle_complete,
    is_party_to,
    may_take,
    open_tasks,
    process_for,
    process_lock,
    request_flow_cancel,
    request_handle_complete,
    request_task_complete,
    task_claim,
    task_complete,
    task_ids_visible_to,
    task_read,
    task_release,
    task_visible_to,
    tasks_claim_many,
    tasks_release_lost_roles,
)
from workflow.services.inbound import (
    INBOUND_VERBS,
    inbound_advance_by_dates,
    inbound_cancel,
    inbound_confirm_residence,
    inbound_end_visit,
    inbound_start_visit,
)
from workflow.services.outbound import (
    OUTBOUND_VERBS,
    outbound_advance_by_dates,
    outbound_cancel,
    outbound_confirm_departure,
    outbound_confirm_return,
    outbound_request_extension,
)
from workflow.services.reporting import reporting_round_open, unit_report_submit
from workflow.services.submission import report_submit, request_submit, request_withdraw

__all__ = [
    "INBOUND_VERBS",
    "OPEN_STATUSES",
    "OUTBOUND_VERBS",
    "Actor",
    "acting_for",
    "agreement_submit",
    "flow_cancel",
    "flow_start",
    "handle_complete",
    "inbound_advance_by_dates",
    "inbound_cancel",
    "inbound_confirm_residence",
    "inbound_end_visit",
    "inbound_start_visit",
    "is_party_to",
    "may_take",
    "open_tasks",
    "outbound_advance_by_dates",
    "outbound_cancel",
    "outbound_confirm_departure",
    "outbound_confirm_return",
    "outbound_request_extension",
    "process_for",
    "process_lock",
    "report_submit",
    "reporting_round_open",
    "request_flow_cancel",
    "request_handle_complete",
    "request_submit",
    "request_task_complete",
    "request_withdraw",
    "task_claim",
    "task_complete",
    "task_ids_visible_to",
    "task_read",
    "task_release",
    "task_visible_to",
    "tasks_claim_many",
    "tasks_release_lost_roles",
    "unit_report_submit",
]
