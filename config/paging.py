"""Keyset pagination for list pages: a page of rows and the address of the next one; and the
filters the lists share (:func:`narrowed`, :func:`matching`).

A deep OFFSET costs as much as the rows it skips; the next page instead
starts after the last row shown (``?before=<id>`` or ``?after=<code>``), with the same filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode

M = TypeVar("M", bound=Model)


def narrowed(queryset: QuerySet[M], **given: Any) -> QuerySet[M]:
    """``queryset`` filtered by each lookup of ``given`` in turn; one without a value (``None``
    or empty) filters nothing."""
    for lookup, value in given.items():
        if value:
            queryset = queryset.filter(**{lookup: value})
    return queryset


def matching(q: str, fields: Iterable[str]) -> Q:
    """The rows where any of ``fields`` contains ``q`` (case-insensitive)."""
    found = Q()
    for name in fields:
        found |= Q(**{f"{name}__icontains": q})
    return found


def keyset_page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    limit: int,
    *,
    filters: dict[str, Any],
    cursor: tuple[str, str, Any],
) -> tuple[list[Any], str | None]:
    """A page of ``queryset`` (filtered and ordered) and the next page's URL when there are more.

    ``cursor`` is (query parameter, lookup, value from the request): ``("before", "pk__lt", 120)``
    starts the page below id 120 and names the next one by the last row's ``pk``. The next URL
    keeps the ``filters`` that are set.
    """
    parameter, lookup, start = cursor
    if start:
        queryset = queryset.filter(**{lookup: start})
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    params = {key: value for key, value in filters.items() if value}
    params[parameter] = getattr(rows[-1], lookup.split("__")[0])
    return rows, f"{request.path}?{urlencode(params)}"
