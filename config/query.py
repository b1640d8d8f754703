"""Narrowing a query by the filters a caller filled in, leaving out the empty ones."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

_Row = TypeVar("_Row", bound=Model)


def filter_given(qs: QuerySet[_Row], **lookups: Any) -> QuerySet[_Row]:
    """``qs`` filtered by each lookup whose value is given (not empty), one ``filter`` each,
    in order."""
    for lookup, value in lookups.items():
        if value:
            qs = qs.filter(**{lookup: value})
    return qs
