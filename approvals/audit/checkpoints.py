"""Signed checkpoints of the audit chain, kept outside the database, and the full verification.

A checkpoint (count, last id, last sequence number, last hash, time, key id) is signed with the
current audit key and appended as one JSON line to ``AUDIT_CHECKPOINT_DIR/checkpoints.jsonl``,
or, with ``AUDIT_CHECKPOINT_S3_BUCKET``, written as one object of its own,
``<day>/<last seq>-<time>.json``, in that bucket (``STORAGES["audit_checkpoints"]``): every web
and worker host then reads and writes the same checkpoints, and a bucket with Object Lock keeps
them from being deleted or overwritten, whoever holds the server.
Someone who cuts rows off the end of the log and moves the chain head back, or empties the
table, leaves a chain that is intact in itself: only a record kept elsewhere shows that it once
went further. The first checkpoint of a day e-mails the previous day's final one to
``AUDIT_CHECKPOINT_EMAIL`` (:mod:`approvals.checkpoint_mail`, through the outbox), a second copy
out of the server's reach.
"""

from __future__ import annotations

import datetime
import hmac
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone

from approvals.audit.chain import (
    ChainEnd,
    ChainProblem,
    UnknownAuditKey,
    current_key_id,
    keyed_digest,
    settle_head,
    walk_chain,
)
from approvals.models import AuditEvent

logger = logging.getLogger(__name__)

FILE_NAME = "checkpoints.jsonl"
#: The storage of one object per checkpoint, when ``AUDIT_CHECKPOINT_S3_BUCKET`` configures it.
STORAGE_ALIAS = "audit_checkpoints"


@dataclass(frozen=True)
class Checkpoint:
    count: int
    last_id: int | None
    last_seq: int
    last_hash: str
    at: str
    key_id: str
    sig: str = ""

    def _message(self) -> bytes:
        fields = asdict(self)
        fields.pop("sig")
        return json.dumps(fields, sort_keys=True).encode()

    def signed(self) -> Checkpoint:
        return Checkpoint(**{**asdict(self), "sig": keyed_digest(self.key_id, self._message())})

    def signature_valid(self) -> bool:
        try:
            return hmac.compare_digest(keyed_digest(self.key_id, self._message()), self.sig)
        except UnknownAuditKey:
            return False

    @property
    def moment(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.at)

    def label(self, line: int) -> str:
        return f"checkpoint {line} of {self.at} (#{self.last_seq})"

    def as_line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True) + "\n"


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`verify_log`: the first problem, or None when everything matches."""

    problem: ChainProblem | None
    events: int
    checkpoints: int
    last_checkpoint_at: datetime.datetime | None
    checkpoint_line: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None

    def as_json(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "events": self.events,
            "checkpoints": self.checkpoints,
            "last_checkpoint_at": (
                self.last_checkpoint_at.isoformat() if self.last_checkpoint_at else None
            ),
            "problem": (
                {
                    "seq": self.problem.seq,
                    "event_id": self.problem.event_id,
                    "reason": self.problem.reason,
                    "checkpoint_line": self.checkpoint_line,
                }
                if self.problem
                else None
            ),
        }


class CheckpointStoreError(Exception):
    """The checkpoints could not be read or written: the bucket or the directory did not answer
    (an outage, not a sign of tampering; nothing is signed meanwhile)."""


class CheckpointFileError(ValueError):
    """A line of the checkpoint file is unreadable or its signature does not match."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"checkpoint line {line}: {reason}")
        self.line = line
        self.reason = reason


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / FILE_NAME


def checkpoint_bucket() -> Storage | None:
    """The bucket that keeps one object per checkpoint, or None: the file."""
    return storages[STORAGE_ALIAS] if STORAGE_ALIAS in settings.STORAGES else None


def _parsed(number: int, raw: str) -> Checkpoint:
    """The checkpoint of record ``number``; :class:`CheckpointFileError` when it is unreadable or
    its signature does not hold."""
    try:
        checkpoint = Checkpoint(**json.loads(raw))
    except (ValueError, TypeError) as exc:
        raise CheckpointFileError(number, "unreadable") from exc
    if not checkpoint.signature_valid():
        raise CheckpointFileError(number, "signature does not match (forged or altered)")
    return checkpoint


def _object_name(checkpoint: Checkpoint) -> str:
    """Day first, then the sequence number: the names sort in the order they were written."""
    at = checkpoint.moment.astimezone(datetime.UTC)
    return f"{at:%Y-%m-%d}/{checkpoint.last_seq:012d}-{at:%H%M%S%f}.json"


def _days(bucket: Storage) -> list[str]:
    try:
        days, _files = bucket.listdir("")
    except FileNotFoundError:
        return []
    return sorted(days)


def _day_objects(bucket: Storage, day: str) -> list[str]:
    _dirs, files = bucket.listdir(day)
    return [f"{day}/{name}" for name in sorted(files)]


def _object_text(bucket: Storage, name: str) -> str:
    with bucket.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data.decode("utf-8", "replace")


@contextmanager
def _store_answering() -> Iterator[None]:
    """Whatever the bucket's client or the file system raises, as :class:`CheckpointStoreError`."""
    try:
        yield
    except Exception as exc:  # boto3's errors share no base with OSError
        logger.warning("audit checkpoints unreachable: %s", exc)
        raise CheckpointStoreError(f"{type(exc).__name__}: {exc}") from exc


def _records() -> list[tuple[int, str]]:
    """Every checkpoint as stored, numbered from 1 in the order written: the file's lines, or
    the bucket's objects."""
    with _store_answering():
        return _stored_records()


def _stored_records() -> list[tuple[int, str]]:
    bucket = checkpoint_bucket()
    if bucket is not None:
        names = [name for day in _days(bucket) for name in _day_objects(bucket, day)]
        return [(number, _object_text(bucket, name)) for number, name in enumerate(names, 1)]
    path = checkpoint_path()
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [(number, raw) for number, raw in enumerate(handle, start=1) if raw.strip()]


def _last_record() -> str | None:
    """The newest checkpoint as stored (without reading the others), or None."""
    with _store_answering():
        return _stored_last_record()


def _stored_last_record() -> str | None:
    bucket = checkpoint_bucket()
    if bucket is not None:
        for day in reversed(_days(bucket)):
            names = _day_objects(bucket, day)
            if names:
                return _object_text(bucket, names[-1])
        return None
    path = checkpoint_path()
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 4096))
        lines = handle.read().decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else None


def checkpoint_last() -> Checkpoint | None:
    """The newest checkpoint if its signature holds (for the screen); :class:`CheckpointStoreError`
    when the store does not answer."""
    raw = _last_record()
    try:
        return _parsed(0, raw) if raw is not None else None
    except CheckpointFileError:
        return None


def checkpoints_read() -> list[Checkpoint]:
    """Every checkpoint in order; raise :class:`CheckpointFileError` at the first bad one."""
    result: list[Checkpoint] = []
    for number, raw in _records():
        checkpoint = _parsed(number, raw)
        if result and checkpoint.last_seq < result[-1].last_seq:
            raise CheckpointFileError(number, "goes back before the previous checkpoint")
        result.append(checkpoint)
    return result


def _previous_for_write() -> Checkpoint | None:
    """The checkpoint the next one continues from. The file is read whole (a bad line anywhere
    refuses the write); in the bucket only the newest object is read, so that the hourly write
    does not read a year of objects: :func:`verify_log` checks them all."""
    if checkpoint_bucket() is None:
        checkpoints = checkpoints_read()
        return checkpoints[-1] if checkpoints else None
    raw = _last_record()
    return _parsed(0, raw) if raw is not None else None


def _append(checkpoint: Checkpoint) -> None:
    with _store_answering():
        _store(checkpoint)


def _store(checkpoint: Checkpoint) -> None:
    bucket = checkpoint_bucket()
    if bucket is not None:
        bucket.save(_object_name(checkpoint), ContentFile(checkpoint.as_line().encode()))
        return
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # One write of one short line with O_APPEND: two writers never interleave within a line.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, checkpoint.as_line().encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def verify_log(progress: Callable[[int], None] | None = None) -> Verification:
    """Check the chain, the chain head and every checkpoint; report the first problem.

    Chain problems name the first bad event; otherwise a checkpoint the log no longer matches
    (rows cut off the end, the table emptied, rows re-hashed) is named by its line and time.
    """
    try:
        checkpoints = checkpoints_read()
    except CheckpointFileError as exc:
        return Verification(ChainProblem(None, None, str(exc)), 0, 0, None, exc.line)
    except CheckpointStoreError as exc:
        reason = f"the checkpoints could not be read ({exc}): verify again once they can"
        return Verification(ChainProblem(None, None, reason), 0, 0, None)
    wanted: dict[int, tuple[int, str]] = {c.last_seq: (0, "") for c in checkpoints}
    problem, end = walk_chain(seen=wanted, progress=progress)
    problem, end = settle_head(problem, end, seen=wanted, progress=progress)
    last_at = checkpoints[-1].moment if checkpoints else None
    if problem is not None:
        return Verification(problem, end.seq, len(checkpoints), last_at)
    for line, checkpoint in enumerate(checkpoints, start=1):
        if checkpoint.last_seq == 0:
            continue
        found = wanted.get(checkpoint.last_seq)
        if found is None or not found[1]:
            reason = (
                f"{checkpoint.label(line)} recorded {checkpoint.count} events, "
                f"the log ends at #{end.seq}: events cut off or the table emptied"
            )
            return Verification(
                ChainProblem(checkpoint.last_seq, checkpoint.last_id, reason),
                end.seq, len(checkpoints), last_at, line,
            )  # fmt: skip
        if found[1] != checkpoint.last_hash or found[0] != checkpoint.last_id:
            reason = f"{checkpoint.label(line)} no longer matches: the log was rewritten"
            return Verification(
                ChainProblem(checkpoint.last_seq, found[0], reason),
                end.seq, len(checkpoints), last_at, line,
            )  # fmt: skip
    return Verification(None, end.seq, len(checkpoints), last_at)


@dataclass(frozen=True)
class CheckpointResult:
    checkpoint: Checkpoint | None
    problem: ChainProblem | None
    #: The checkpoint before this one (whose day may now be over: :mod:`approvals.checkpoint_mail`).
    previous: Checkpoint | None = None
    emailed: str = ""


def checkpoint_write(*, now: datetime.datetime | None = None) -> CheckpointResult:
    """Verify the log since the last checkpoint and, when it holds, append a signed checkpoint.

    A log that no longer matches is never signed over: the problem is returned and logged.
    """
    now = now or timezone.now()
    try:
        previous = _previous_for_write()
    except (CheckpointFileError, CheckpointStoreError) as exc:
        logger.error("audit checkpoint refused: %s", exc)
        return CheckpointResult(None, ChainProblem(None, None, str(exc)))
    start = None
    if previous is not None and previous.last_seq:
        at_previous = AuditEvent.objects.filter(seq=previous.last_seq).first()
        if (
            at_previous is None
            or at_previous.hash != previous.last_hash
            or at_previous.pk != previous.last_id
        ):
            reason = f"the last checkpoint (#{previous.last_seq}) no longer matches the log"
            logger.error("audit checkpoint refused: %s", reason)
            return CheckpointResult(None, ChainProblem(previous.last_seq, previous.last_id, reason))
        start = ChainEnd(
            previous.last_seq, previous.last_hash, previous.last_id, keyed=bool(at_previous.key_id)
        )
    problem, end = walk_chain(start=start)
    problem, end = settle_head(problem, end)
    # Rows up to the end the walk reached (later ones may be arriving right now).
    count = AuditEvent.objects.filter(seq__lte=end.seq).count()
    if problem is None and count != end.seq:
        reason = f"{count} rows but the chain has {end.seq}"
        problem = ChainProblem(end.seq, end.event_id, reason)
    if problem is not None:
        logger.error("audit checkpoint refused: %s", problem.reason)
        return CheckpointResult(None, problem)
    checkpoint = Checkpoint(
        count=count,
        last_id=end.event_id,
        last_seq=end.seq,
        last_hash=end.hash,
        at=now.astimezone(datetime.UTC).isoformat(),
        key_id=current_key_id(),
    ).signed()
    try:
        _append(checkpoint)
    except CheckpointStoreError as exc:
        logger.error("audit checkpoint not stored: %s", exc)
        return CheckpointResult(None, ChainProblem(None, None, f"not stored: {exc}"))
    return CheckpointResult(checkpoint, None, previous)
