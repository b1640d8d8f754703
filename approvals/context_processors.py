"""Template context shared by every page of the web shell."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from approvals.navigation import display_name, nav_items_for


def shell(request: HttpRequest) -> dict[str, object]:
    """The menu and the signed-in user's name, computed only when a template uses them.

    Lazy because admin pages and JSON views also run context processors and need neither.
    """
    user = request.user
    return {
        "nav_items": SimpleLazyObject(lambda: nav_items_for(user, request.path)),
        "user_display_name": SimpleLazyObject(lambda: display_name(user)),
    }
