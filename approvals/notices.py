"""Telling people: an in-app notice (the bell) and an e-mail, written with the change itself.

:func:`notify` is the one way to tell users something, and this module holds its helpers (the
site's language, links, e-mail rendering, who holds a role). The flow events that call it (a task
arrives, a request is decided) are in :mod:`workflow.notify`; deadline alerts in
:mod:`workflow.reminders`; agencies' notifications in :mod:`approvals.notifications`.
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
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from approvals.models import Notice
from approvals.navigation import display_name
from approvals.outbox import message_enqueue
from org.models import ActingAssignment, Jurisdiction, RoleAssignment

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
    """Render ``emails/<template>.txt`` in the site's language (e-mails have no session).

    Every e-mail may name the Sở and its office: they come from the jurisdiction row.
    """
    jurisdiction = Jurisdiction.effective()
    language = settings.LANGUAGE_CODE
    names = {
        "department_name": jurisdiction.department_name_for(language),
        "office_signature": jurisdiction.office_signature(language),
    }
    with translation.override(language):
        text = render_to_string(f"emails/{template}.txt", {**names, **context})
    # Template tags leave blank lines where optional parts are left out.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


#: What the subject of every notice e-mail starts with.
SUBJECT_PREFIX = "[Đoàn ra – Đoàn vào] "


def notify(
    *,
    users: Iterable[User],
    text: str,
    template: str,
    subject: str = "",
    context: dict[str, Any] | None = None,
    url: str = "",
    request: Any = None,
    dedup_prefix: str | None = None,
) -> list[int]:
    """A notice and (when the user has an address) an e-mail for each user, in this transaction.

    Returns the ids of the users told. The e-mail's subject is ``subject``, by default the
    product's name and ``text``. ``dedup_prefix`` makes each user's e-mail at-most-once
    (``<prefix>:<user id>``).
    """
    subject = subject or SUBJECT_PREFIX + text
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


def users_by_ids(ids: Iterable[int] | QuerySet[Any, int]) -> list[User]:
    """Active users by id; ``ids`` may be a query, read as a subquery (one query in all)."""
    return list(
        get_user_model()
        .objects.filter(pk__in=ids if isinstance(ids, QuerySet) else set(ids), is_active=True)
        .select_related("person")  # their names, for the e-mails
        .order_by("pk")
    )


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
