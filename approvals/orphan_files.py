"""Files that no row names any more: set aside, then removed (``sweep_orphan_files``).

A file is written to the storage before the row that names it commits: an upload, a rendered
document, a signed PDF. When that transaction rolls back (a refusal after the upload, a lost
race, a crash), the file stays behind, named by nothing. In a bucket or on a disk that is a
passport scan or an invitation kept with no record of it, which the department may not keep.

The sweep, nightly from beat and on demand (``manage.py sweep_orphan_files``):

1. reads every name the database holds (every ``FileField`` of every model, and the outbox's
   e-mail attachments), then lists the storage under :data:`SWEPT_ROOTS`;
2. a listed file that no row names and that is older than ``ORPHAN_FILE_GRACE_HOURS`` (a
   transaction still writing its row is far younger) is moved to
   ``quarantine/<day>/<its name>``: copied there, then deleted. A crash in between leaves both
   copies and the next sweep finishes the move; nothing is lost;
3. a quarantined file older than ``ORPHAN_FILE_RETENTION_DAYS`` (the day in its path) is
   deleted for good.

One run at a time: a run holds the job's lease (:mod:`approvals.job_leases`,
``ORPHAN_FILE_SWEEP_LEASE_MINUTES``, renewed as it goes); a second one started meanwhile (beat's
and an administrator's command, say) does nothing and says so (``SweepResult.busy``). Two at
once would copy a file twice into the quarantine and audit the move twice.

What a run moves or deletes is audited as it goes (``storage.orphans_quarantined``,
``storage.quarantine_purged``), one event for every :data:`NAMES_LISTED` names and one for the
rest at the end, so that a worker killed halfway leaves no move unrecorded but its last few.
A file set aside by mistake (a database restored from a backup older than its files) is put
back by moving it from ``quarantine/<day>/`` to the name after it, within the retention
(docs/production.md, *Files*).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.audit import audit_record
from approvals.job_leases import LeaseLost, RunLease
from approvals.models import OutboxMessage

#: The folders the models' ``upload_to`` write under (tests/approvals/test_orphan_files.py
#: checks that every file field's names fall in one of them). Nothing else in the storage is
#: looked at.
SWEPT_ROOTS = ("attachments", "documents", "agreements", "reporting")
QUARANTINE = "quarantine"
#: How many names one audit event lists at the most (a run writes as many events as it needs).
NAMES_LISTED = 500
#: The sweep's lease (:class:`approvals.models.JobLease`).
JOB = "sweep_orphan_files"


@dataclass
class SweepResult:
    """What one sweep found and did (with ``dry_run``, what it would have done)."""

    files: int = 0
    quarantined: list[str] = field(default_factory=list)
    #: Orphans younger than the grace period: left for a later sweep.
    too_young: int = 0
    purged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Another run held the job: this one did nothing.
    busy: bool = False


def file_fields() -> Iterator[tuple[type[models.Model], str]]:
    """Every model's file fields, as ``(model, field name)``."""
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField):
                yield model, model_field.name


def names_in_use() -> set[str]:
    """Every storage name a row holds."""
    names: set[str] = set()
    for model, name in file_fields():
        rows = model._base_manager.exclude(**{name: ""}).values_list(name, flat=True)
        names.update(rows.iterator(chunk_size=5000))
    outbox = OutboxMessage.objects.exclude(attachment="").values_list("attachment", flat=True)
    names.update(outbox.iterator(chunk_size=5000))
    return names


def stored_files(storage: Storage, folder: str) -> Iterator[str]:
    """The names of the files under ``folder``, at any depth."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from stored_files(storage, f"{folder}/{sub}")


def _quarantine_day(name: str) -> datetime.date | None:
    """The day in ``quarantine/<day>/…``; None for a name that does not have one."""
    parts = name.split("/")
    try:
        return datetime.date.fromisoformat(parts[1])
    except (IndexError, ValueError):
        return None


@dataclass(frozen=True)
class QuarantinedDay:
    """The files set aside on one day, and when they are deleted for good."""

    day: datetime.date
    files: int
    purged_on: datetime.date


def quarantined(storage: Storage | None = None) -> list[QuarantinedDay]:
    """What is set aside now, newest day first (for the operations view)."""
    counts: dict[datetime.date, int] = {}
    for name in stored_files(storage or default_storage, QUARANTINE):
        day = _quarantine_day(name)
        if day is not None:
            counts[day] = counts.get(day, 0) + 1
    keep = datetime.timedelta(days=settings.ORPHAN_FILE_RETENTION_DAYS)
    return [QuarantinedDay(day, n, day + keep) for day, n in sorted(counts.items(), reverse=True)]


def _set_aside(storage: Storage, name: str, day: datetime.date) -> None:
    """Copy ``name`` into the day's quarantine, then delete it (in that order)."""
    with storage.open(name, "rb") as handle:
        storage.save(f"{QUARANTINE}/{day.isoformat()}/{name}", handle)
    storage.delete(name)


def sweep_orphan_files(
    *, now: datetime.datetime | None = None, dry_run: bool = False, storage: Storage | None = None
) -> SweepResult:
    """Set aside the files no row names, and delete those set aside long enough ago.

    Nothing, with ``busy`` set, while another run holds the job (a dry run changes nothing and
    needs no lease). A run that loses its lease midway (stalled past it, and taken over) stops
    where it is, with an error saying so.
    """
    lease = None
    if not dry_run:
        length = datetime.timedelta(minutes=settings.ORPHAN_FILE_SWEEP_LEASE_MINUTES)
        lease = RunLease.take(JOB, length)
        if lease is None:
            return SweepResult(busy=True)
    result = SweepResult()
    try:
        _sweep(result, now or timezone.now(), dry_run, storage or default_storage, lease)
    except LeaseLost:
        result.errors.append(str(_LOST))
    finally:
        if lease is not None:
            lease.give_back()
    return result


#: Why a run stopped midway (after "could not handle" in the command's output).
_LOST = _("các tệp còn lại: một lượt dọn tệp khác đã tiếp quản công việc, lượt này dừng lại.")


def _sweep(
    result: SweepResult,
    now: datetime.datetime,
    dry_run: bool,
    storage: Storage,
    lease: RunLease | None,
) -> None:
    grace = datetime.timedelta(hours=settings.ORPHAN_FILE_GRACE_HOURS)
    retention = datetime.timedelta(days=settings.ORPHAN_FILE_RETENTION_DAYS)
    # Read the names first: a file stored after this read is younger than the grace period.
    in_use = names_in_use()
    today = timezone.localdate(now)
    moved = _Audited("storage.orphans_quarantined", dry_run)
    try:
        for root in SWEPT_ROOTS:
            for name in stored_files(storage, root):
                if lease is not None:
                    lease.keep()
                result.files += 1
                if name in in_use:
                    continue
                try:
                    if storage.get_modified_time(name) > now - grace:
                        result.too_young += 1
                        continue
                    if not dry_run:
                        _set_aside(storage, name, today)
                except OSError as error:  # gone meanwhile, or a storage error
                    result.errors.append(f"{name}: {error}")
                    continue
                result.quarantined.append(name)
                moved.add(name)
    except LeaseLost:
        moved.flush()  # what was moved is recorded when the run is taken over midway
        raise
    moved.flush()
    purged = _Audited("storage.quarantine_purged", dry_run)
    try:
        for name in stored_files(storage, QUARANTINE):
            if lease is not None:
                lease.keep()
            day = _quarantine_day(name)
            if day is None or day > timezone.localdate(now - retention):
                continue
            if not dry_run:
                try:
                    storage.delete(name)
                except OSError as error:
                    result.errors.append(f"{name}: {error}")
                    continue
            result.purged.append(name)
            purged.add(name)
    except LeaseLost:
        purged.flush()
        raise
    purged.flush()


class _Audited:
    """Names moved or deleted, written to the audit log :data:`NAMES_LISTED` at a time."""

    def __init__(self, action: str, dry_run: bool) -> None:
        self.action, self.dry_run, self.names = action, dry_run, list[str]()

    def add(self, name: str) -> None:
        self.names.append(name)
        if len(self.names) >= NAMES_LISTED:
            self.flush()

    def flush(self) -> None:
        if self.names and not self.dry_run:
            audit_record(
                actor=None,
                action=self.action,
                object_type="storage",
                object_id="default",
                after={"count": len(self.names), "names": self.names},
            )
        self.names = []
