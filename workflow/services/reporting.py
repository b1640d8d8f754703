"""Process verbs of reporting rounds: opening a round starts one flow per unit; a unit's
submission completes its task."""

from __future__ import annotations

import datetime
from typing import Any, Unpack

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from delegations.models import ReportingRound, UnitReport
from delegations.services.reporting import RoundFields, reporting_round_create
from workflow.flows.unit_report import UnitReportFlow
from workflow.services.engine import flow_start, request_task_complete


@transaction.atomic
def reporting_round_open(
    *, actor: User, today: datetime.date | None = None, **fields: Unpack[RoundFields]
) -> ReportingRound:
    """Open the round: each unit gets its task to submit its report by the deadline.

    ``fields``: the round as ``reporting_round_create`` takes it (title, period, deadline,
    units, optional instructions and template).
    """
    round_ = reporting_round_create(actor=actor, today=today, **fields)
    for report in round_.reports.select_related("unit", "round"):
        flow_start(UnitReportFlow, report)
    return round_


def unit_report_submit(
    *, actor: User, report: UnitReport, figures: dict[str, Any], narrative: dict[str, str],
    attachment: UploadedFile | None = None, at: datetime.datetime | None = None,
) -> Task:  # fmt: skip
    """Hand in the unit's report (figures pre-filled by the caller); its head approves next.

    ``at``: when it was handed in (default now; imports of paper reports give their date).
    """
    return request_task_complete(
        request=report,
        node_name="submit_unit_report",
        user=actor,
        missing=_("Báo cáo này không chờ nộp."),
        fields={"figures": figures, "attachment": attachment, "at": at, **narrative},
    )
