"""Telling people: an in-app notice (the bell) and an e-mail, written with the change itself.

:func:`notify` is the one way to tell users something. The events that call it are here too: a
task arrives (to its owner, else to everyone holding its permission on its unit), a request is
returned or decided (to the applicant). Deadline alerts are in :mod:`approvals.reminders`.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Model, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals import permissions
from approvals.models import Decision, Notice
from approvals.navigation import display_name
from approvals.outbox import message_enqueue
from org.models import ActingAssignment, RoleAssignment, Unit
from workflow.steps import step_title

F = TypeVar("F", bound=Callable[..., Any])


def in_site_language(function: F) -> F:
    """Write notices and e-mails in the site's language, never the acting user's.

    They are stored or sent to other people; the language active in the current thread is the
    actor's choice (or left over from another request), not the recipient's.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def path_if_defined(name: str, *args: Any) -> str:
    """A page's path, or "" while no page answers to that name (pages arrive one by one)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def absolute(path: str) -> str:
    """A link for an e-mail: the site's public address before a path."""
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + path


def request_path(request: Any) -> str:
    return path_if_defined(f"{request.request_kind}_detail", request.pk)


def task_path(task: Any) -> str:
    return path_if_defined("task_detail", task.pk)


def render_email(template: str, context: dict[str, Any]) -> str:
    """Render ``emails/<template>.txt`` in the site's language (e-mails have no session)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"emails/{template}.txt", context)
    # Template tags leave blank lines where optional parts are left out.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def notify(
    *,
    users: Iterable[User],
    text: str,
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    url: str = "",
    request: Any = None,
    dedup_prefix: str | None = None,
) -> list[int]:
    """A notice and (when the user has an address) an e-mail for each user, in this transaction.

    Returns the ids of the users told. ``dedup_prefix`` makes each user's e-mail at-most-once
    (``<prefix>:<user id>``).
    """
    unique = {user.pk: user for user in users if user is not None and user.is_active}
    if not unique:
        return []
    Notice.objects.bulk_create(
        [Notice(user_id=user.pk, text=text[:500], url=url) for user in unique.values()]
    )
    for user in unique.values():
        address = getattr(user, "email", "")
        if not address:
            continue
        body = render_email(
            template,
            {
                **(context or {}),
                "text": text,
                "recipient_name": display_name(user),
                "link": absolute(url),
            },
        )
        message_enqueue(
            to_address=address,
            to_user=user,
            subject=subject,
            body_text=body,
            request_kind=getattr(request, "request_kind", ""),
            request_id=getattr(request, "pk", None),
            dedup_key=f"{dedup_prefix}:{user.pk}" if dedup_prefix else None,
        )
    return sorted(unique)


# --- who --------------------------------------------------------------------------------------


def users_by_ids(ids: Iterable[int]) -> list[User]:
    return list(get_user_model().objects.filter(pk__in=set(ids), is_active=True).order_by("pk"))


def role_holders(role: str, on: datetime.date | None = None) -> list[User]:
    """Everyone holding a role today, in their own right or acting."""
    day = on or timezone.localdate()
    own = RoleAssignment.objects.effective_on(day).filter(role=role).values("user_id")
    acting = ActingAssignment.objects.effective_on(day).filter(role=role).values("acting_user_id")
    return list(
        get_user_model()
        .objects.filter(Q(pk__in=own) | Q(pk__in=acting), is_active=True)
        .order_by("pk")
    )


def permission_holders(task: Any) -> list[User]:
    """Holders of the task's permission on its unit (acting included), or nobody."""
    if not task.owner_permission or not task.owner_permission_obj_pk:
        return []
    unit = Unit.objects.filter(pk=task.owner_permission_obj_pk).first()
    if unit is None:
        return []
    codename = task.owner_permission.split(".", 1)[-1]
    return users_by_ids(permissions.unit_users_with(codename, unit))


def task_people(task: Any, request: Model | None) -> list[User]:
    """Who should act on a task: its owner, else whoever may claim it (never a party to it)."""
    if task.owner_id is not None:
        return [task.owner]
    people = permission_holders(task)
    if request is None:
        return people
    from workflow.services import is_party_to

    return [user for user in people if not is_party_to(request, user)]


# --- events -----------------------------------------------------------------------------------


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
        "kind_label": _("Đoàn ra") if request.request_kind == "outbound" else _("Đoàn vào"),
        "unit_name": request.unit.name,
    }


@in_site_language
def task_arrived(task: Any) -> list[int]:
    """A human task was created: tell whoever must act. A return to the applicant says so."""
    from workflow.flows.common import request_of
    from workflow.inbox import step_due

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
        users=[request.created_by],
        text=text,
        subject="[Đoàn ra – Đoàn vào] " + text,
        template="request_decided",
        context={**context, "decision_number": getattr(request, "decision_number", "")},
        url=request_path(request),
        request=request,
    )
