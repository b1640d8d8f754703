"""Field factories for what many models declare alike: a reference to a user account, an
optional link to another row.

Twenty-odd models record who did something (the actor of a decision, the uploader of a file, the
recipient of a message) as a foreign key to ``AUTH_USER_MODEL`` with a Vietnamese label, no
reverse accessor, and rows that protect or forget the account. Others link, when there is one,
to a partner, an agreement, a passport or a relative, protected from deletion. The factories
build exactly the field each model declared before (``makemigrations --check`` stays clean).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import models
from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from django.contrib.auth.models import User

OnDelete = Any  # django's on_delete handlers have no common public type

_Row = TypeVar("_Row", bound=models.Model)


def user_field(
    verbose_name: StrOrPromise, *, on_delete: OnDelete = models.PROTECT, related_name: str = "+"
) -> models.ForeignKey[User, User]:
    """A required reference to a user account (protected from deletion unless told otherwise)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=on_delete,
        related_name=related_name,
    )


def optional_user_field(
    verbose_name: StrOrPromise, *, on_delete: OnDelete = models.PROTECT, related_name: str = "+"
) -> models.ForeignKey[User | None, User | None]:
    """A reference to a user account that may be empty (``null`` and ``blank``)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
    )


def optional_link(
    to: type[_Row], verbose_name: StrOrPromise, *, related_name: str = "+"
) -> models.ForeignKey[_Row | None, _Row | None]:
    """A reference to another row that may be empty (``null`` and ``blank``), protected from
    deletion while it is referred to."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )
