"""Tables that workers take one row at a time: the outbox's e-mails, the documents' renders.

A row is *pending* until a worker claims it when it is due (it is then *working*, with the time
of the claim), and ends done or *failed*. A claim older than the lease belongs to a worker that
died: another may take it over, and the sweeper puts it back to pending. A pending row due for
longer than the grace lost its own on-commit task: the sweeper queues it. What an administrator
looks at (the operations view) is the failed rows and those two kinds of overdue ones.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


def seconds_setting(name: str, default: int) -> datetime.timedelta:
    """The setting ``name`` as a duration in seconds (``default`` when it is not set)."""
    return datetime.timedelta(seconds=int(getattr(settings, name, default)))


@dataclass(frozen=True)
class Leased:
    """The columns and states of one such table, and the settings of its lease and grace."""

    #: The state column and its three values.
    state: str
    pending: str
    working: str
    failed: str
    #: When a pending row is due (its next attempt), and when its worker claimed it.
    due: str
    claimed: str
    #: (setting, default seconds) of the lease on a claim and of the sweeper's grace.
    lease: tuple[str, int]
    grace: tuple[str, int]

    def due_now(self, now: datetime.datetime) -> Q:
        """Pending rows a worker may claim now."""
        return Q(**{self.state: self.pending, f"{self.due}__lte": now})

    def abandoned(self, now: datetime.datetime) -> Q:
        """Claims past the lease: their worker died."""
        cut = now - seconds_setting(*self.lease)
        return Q(**{self.state: self.working, f"{self.claimed}__lt": cut})

    def overdue(self, now: datetime.datetime) -> Q:
        """Pending rows due for longer than the grace: the sweeper's to queue."""
        cut = now - seconds_setting(*self.grace)
        return Q(**{self.state: self.pending, f"{self.due}__lte": cut})

    def stuck(self, now: datetime.datetime) -> Q:
        """What an administrator should look at: failed, overdue or abandoned rows."""
        return Q(**{self.state: self.failed}) | self.overdue(now) | self.abandoned(now)

    def sweep(self, rows: QuerySet[Any], now: datetime.datetime, limit: int) -> list[int]:
        """The sweeper's round over ``rows`` (the table): the ids to queue again, at most
        ``limit`` of each kind. First the abandoned claims, put back to pending and due now
        (their worker died); then the overdue pending rows, the longest due first."""
        reclaimed = list(rows.filter(self.abandoned(now)).values_list("pk", flat=True)[:limit])
        if reclaimed:
            rows.filter(**{"pk__in": reclaimed, self.state: self.working}).update(
                **{self.state: self.pending, self.due: timezone.now()}
            )
            table = rows.model._meta.db_table
            logger.warning("%s: took back %s rows from dead workers", table, len(reclaimed))
        waiting = rows.filter(self.overdue(now)).exclude(pk__in=reclaimed).order_by(self.due)
        return [*reclaimed, *waiting.values_list("pk", flat=True)[:limit]]
