"""One run at a time of a background job, across every worker and host (the database decides).

A job that must not overlap itself (the orphan-file sweep: two runs would copy the same file
twice into the quarantine and audit the move twice) takes its :class:`~approvals.models.JobLease`
row for a while, renews it as it goes and gives it back at the end. Taking it is one
conditional ``UPDATE``: of two runs at once, on PostgreSQL or SQLite, one gets it. A run that
dies holding it blocks the job until the lease runs out, no longer.
"""

from __future__ import annotations

import datetime
import time
import uuid
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from approvals.models import JobLease


class LeaseLost(Exception):
    """The run's lease ran out and another run took the job over: this one must stop."""


@dataclass
class RunLease:
    """The lease a run holds; :meth:`keep` it as the run goes, :meth:`give_back` at the end."""

    name: str
    holder: str
    length: datetime.timedelta
    renewed: float = field(default_factory=time.monotonic)

    @classmethod
    def take(cls, name: str, length: datetime.timedelta) -> RunLease | None:
        """The job's lease for this run, or None while another run holds it."""
        JobLease.objects.get_or_create(name=name)
        now, holder = timezone.now(), uuid.uuid4().hex
        free = Q(held_until__isnull=True) | Q(held_until__lte=now)
        taken = JobLease.objects.filter(free, name=name).update(
            holder=holder, held_until=now + length
        )
        return cls(name, holder, length) if taken else None

    def keep(self) -> None:
        """Renew the lease once a third of it has passed (a query then, none otherwise).

        Raises :class:`LeaseLost` when another run took the job over meanwhile (this one was
        stalled past its lease).
        """
        if time.monotonic() - self.renewed < self.length.total_seconds() / 3:
            return
        renewed = JobLease.objects.filter(name=self.name, holder=self.holder).update(
            held_until=timezone.now() + self.length
        )
        if not renewed:
            raise LeaseLost(self.name)
        self.renewed = time.monotonic()

    def give_back(self) -> None:
        """The job is free for the next run (unless another took it over already)."""
        JobLease.objects.filter(name=self.name, holder=self.holder).update(
            holder="", held_until=None
        )
