"""Template context shared by every page of the web shell."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from approvals.models import Notice
from approvals.navigation import account_name, display_name, nav_items_for
from org.models import Jurisdiction, Person


@dataclass(frozen=True)
class SignedIn:
    """What the header shows of the signed-in user: the name and the unread notices (the bell)."""

    name: str
    unread_notices: int


def signed_in(user: Any) -> SignedIn:
    """The header's name and unread count: one query for a user in the directory.

    The person read for the name becomes the user's (``user.person``): the page asks for it
    too (is this member me?) without reading it again. An account outside the directory shows
    its own name, and its notices cost a second query.
    """
    if not user.is_authenticated:
        return SignedIn(display_name(user), 0)
    unread = (
        Notice.objects.filter(user=OuterRef("user_id"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    person = (
        Person.objects.filter(user=user.pk)
        .annotate(unread_notices=Coalesce(Subquery(unread), 0))
        .first()
    )
    if person is None:
        count = Notice.objects.filter(user=user.pk, read_at__isnull=True).count()
        return SignedIn(account_name(user), count)
    user.person = person
    return SignedIn(display_name(user), person.unread_notices)


def shell(request: HttpRequest) -> dict[str, object]:
    """The menu, the language choices, the signed-in user's name and unread notices (the bell).

    All lazy: admin pages also run context processors and need none of them; the name and the
    unread count cost one query (:func:`signed_in`), on pages that show them.
    """
    user = request.user
    me = functools.cache(lambda: signed_in(user))  # read once, for whichever is shown first
    return {
        # Lazy names, so the switch can show each language in itself ({% language %}); Django's
        # own name_local for Vietnamese is in decomposed Unicode, which some fonts render badly.
        "language_choices": settings.LANGUAGES,
        "nav_items": SimpleLazyObject(lambda: nav_items_for(user, request.path)),
        "user_display_name": SimpleLazyObject(lambda: me().name),
        "unread_notice_count": SimpleLazyObject(lambda: me().unread_notices),
        # The Sở's name from the admin (org.Jurisdiction), HCMC's defaults without a row; in
        # the reader's language when the row has an English name.
        "jurisdiction": SimpleLazyObject(Jurisdiction.effective),
        "department_name": SimpleLazyObject(
            lambda: Jurisdiction.effective().department_name_for(get_language() or "vi")
        ),
    }
