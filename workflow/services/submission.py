"""The flow's half of a submission, the same for both kinds of request."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from delegations.services.submission import Submission
from workflow.flows.registry import main_flow_for
from workflow.services.engine import flow_start, request_task_complete


def submission_advance(submission: Submission, *, actor: User) -> None:
    """A first submission starts the request's flow; a resubmission completes the applicant's
    ``resubmit_by_applicant`` step, which sends the dossier back to the step that returned it."""
    flow_class = main_flow_for(submission.request)
    if submission.first:
        flow_start(flow_class, submission.request)
        return
    request_task_complete(
        request=submission.request,
        node_name=flow_class.resubmit_by_applicant.name,
        user=actor,
        missing=_("Không tìm thấy bước trình lại của hồ sơ."),
        as_owner=True,
    )
