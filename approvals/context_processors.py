"""Template context shared by every page of the web shell."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from approvals.models import Notice
from approvals.navigation import display_name, nav_items_for
from org.models import Jurisdiction


def _unread_notices(request: HttpRequest) -> int:
    if not request.user.is_authenticated:
        return 0
    return Notice.objects.filter(user=request.user, read_at__isnull=True).count()


def shell(request: HttpRequest) -> dict[str, object]:
    """The menu, the language choices, the signed-in user's name and unread notices (the bell).

    All lazy: admin pages also run context processors and need none of them; the unread count
    costs one query, on pages that show the bell.
    """
    user = request.user
    return {
        # Lazy names, so the switch can show each language in itself ({% language %}); Django's
        # own name_local for Vietnamese is in decomposed Unicode, which some fonts render badly.
        "language_choices": settings.LANGUAGES,
        "nav_items": SimpleLazyObject(lambda: nav_items_for(user, request.path)),
        "user_display_name": SimpleLazyObject(lambda: display_name(user)),
        "unread_notice_count": SimpleLazyObject(lambda: _unread_notices(request)),
        # The Sở's name from the admin (org.Jurisdiction), HCMC's defaults without a row; in
        # the reader's language when the row has an English name.
        "jurisdiction": SimpleLazyObject(Jurisdiction.effective),
        "department_name": SimpleLazyObject(
            lambda: Jurisdiction.effective().department_name_for(get_language() or "vi")
        ),
    }
