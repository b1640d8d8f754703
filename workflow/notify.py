"""Who is told when a flow moves: a task arrives, a request is decided.

Called by the receivers in :mod:`workflow.signals`, inside the flow's transaction, so the notices
and e-mails (outbox rows, :func:`approvals.notices.notify`) commit or roll back with the step.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model
from django.utils.translation import gettext as _

from approvals import permissions
from approvals.models import Decision
from approvals.notices import in_site_language, notify, request_path, task_path, users_by_ids
from config.values import plain_int
from delegations.facts import request_parties
from org.models import Unit
from workflow.flows.common import request_of
from workflow.inbox import applicant_read_with, step_due
from workflow.steps import step_title


def permission_holders(task: Any) -> list[User]:
    """Holders of the task's permission on its unit (acting included), or nobody."""
    if not task.owner_permission or not task.owner_permission_obj_pk:
        return []
    codename = task.owner_permission.split(".", 1)[-1]
    unit = Unit(pk=plain_int(task.owner_permission_obj_pk))  # only its id is read
    return users_by_ids(permissions.unit_holder_ids(codename, unit))


def task_people(task: Any, request: Model | None) -> list[User]:
    """Who should act on a task: its owner, else whoever may claim it (never a party to it)."""
    if task.owner_id is not None:
        return [task.owner]
    people = permission_holders(task)
    if request is None or not people:
        return people
    parties = request_parties(request)
    return [user for user in people if user.pk not in parties]


def _applicant(request: Any) -> list[User]:
    """The applicant, if active, with their name (read with the request, else one query)."""
    user = applicant_read_with(request)
    if user is None:
        return users_by_ids([request.created_by_id])
    return [user] if user.is_active else []


def _last_decision(request: Any, action: str) -> Decision | None:
    return (
        Decision.objects.filter(
            request_kind=request.request_kind, request_id=request.pk, action=action
        )
        .order_by("-pk")
        .first()
    )


def _request_context(request: Any) -> dict[str, Any]:
    return {
        "reference": str(request),
        "kind_label": {
            "outbound": _("Đoàn ra"),
            "inbound": _("Đoàn vào"),
            "agreement": _("Biên bản ghi nhớ"),
            "unit_report": _("Báo cáo công tác đối ngoại"),
        }.get(request.request_kind, ""),
        "unit_name": request.unit.name,
    }


@in_site_language
def task_arrived(task: Any) -> list[int]:
    """A human task was created: tell whoever must act. A return to the applicant says so."""

    request = request_of(task.process)
    if request is None:
        return []
    people = task_people(task, request)
    if not people:
        return []
    # The inbox fixes the same due date when the task is created (workflow.inbox).
    due = step_due(task.flow_task.name, task.created, request)
    context = {**_request_context(request), "step": step_title(task), "due": due}
    name = task.flow_task.name
    if name in ("resubmit_by_applicant", "submit_report") and (
        decision := _last_decision(request, "return")
    ):
        context["comment"] = decision.comment
        context["missing_items"] = decision.data.get("missing_items", [])
        text = _("Hồ sơ %(reference)s được trả lại: %(comment)s") % {
            "reference": context["reference"],
            "comment": decision.comment or _("cần bổ sung"),
        }
        subject = _("[Đoàn ra – Đoàn vào] Hồ sơ %(reference)s được trả lại") % context
        template = "request_returned"
    else:
        text = _("Việc mới: %(step)s – hồ sơ %(reference)s (%(unit_name)s)") % context
        subject = _("[Đoàn ra – Đoàn vào] Việc mới: %(step)s – %(reference)s") % context
        template = "task_arrived"
    return notify(
        users=people,
        text=text,
        subject=subject,
        template=template,
        context=context,
        url=task_path(task),
        request=request,
    )


#: Flow nodes whose activation means the request was decided, and what to tell the applicant.
OUTCOME_NODES = {
    "approve": "approved",
    "rejected": "rejected",
    "extend": "extended",
    "refused": "extension_refused",
}


@in_site_language
def request_decided(request: Any, outcome: str) -> list[int]:
    """Tell the applicant the outcome: approved, rejected, extension granted or refused."""
    texts = {
        "approved": _("Hồ sơ %(reference)s đã được phê duyệt."),
        "rejected": _("Hồ sơ %(reference)s không được phê duyệt."),
        "extended": _("Đề nghị gia hạn của hồ sơ %(reference)s đã được chấp thuận."),
        "extension_refused": _("Đề nghị gia hạn của hồ sơ %(reference)s không được chấp thuận."),
    }
    context = {**_request_context(request), "outcome": outcome}
    decision = _last_decision(request, "reject") if outcome in ("rejected",) else None
    context["comment"] = decision.comment if decision else ""
    text = texts[outcome] % context
    return notify(
        users=_applicant(request),
        text=text,
        template="request_decided",
        context={**context, "decision_number": getattr(request, "decision_number", "")},
        url=request_path(request),
        request=request,
    )
