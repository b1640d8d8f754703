"""Keyset pagination for list pages: a page of rows and the address of the next one.

A deep OFFSET costs as much as the rows it skips; the next page instead
starts after the last row shown (``?before=<id>`` or ``?after=<code>``), with the same filters.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode


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
