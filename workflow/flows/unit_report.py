"""A unit's report in a reporting round: the unit submits it, its head approves or returns it.

The figures are pre-filled from the unit's own data when it submits; decisions are recorded by
:func:`delegations.services.reporting.unit_report_step`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from workflow.flows.common import if_approved, person_step, unit_of_process


class UnitReportFlow(flow.Flow):  # type: ignore[misc,unused-ignore]
    """Báo cáo công tác đối ngoại của đơn vị

    The Sở opens a round; each unit that must report gets the task to submit its report by
    the round's deadline (reminded before, escalated to its head after). The head approves it
    or returns it for changes; approved reports are summed into the city-level report.
    """

    process_title = _("Báo cáo công tác đối ngoại của đơn vị")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.submit_unit_report)
    submit_unit_report = person_step(
        _("Đơn vị lập và nộp báo cáo"), "org.file_for_unit", unit_of_process
    ).Next(this.approve_unit_report)
    approve_unit_report = person_step(
        _("Thủ trưởng đơn vị duyệt báo cáo"), "org.approve_as_unit_head", unit_of_process
    ).Next(this.check_unit_report)
    check_unit_report = if_approved(this.unit_report_approved, this.submit_unit_report)
    unit_report_approved = flow.End().Annotation(title=_("Báo cáo đã duyệt"))

    def start_process(self, activation: Any, request: Any) -> Any:
        activation.process.artifact = request
        return activation.process
