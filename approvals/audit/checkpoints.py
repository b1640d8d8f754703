"""Signed checkpoints of the audit chain, kept outside the database, and the full verification.

A checkpoint (count, last id, last sequence number, last hash, time, key id) is signed with the
current audit key and appended as one JSON line to ``AUDIT_CHECKPOINT_DIR/checkpoints.jsonl``.
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
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
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


class CheckpointFileError(ValueError):
    """A line of the checkpoint file is unreadable or its signature does not match."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"checkpoint line {line}: {reason}")
        self.line = line
        self.reason = reason


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / FILE_NAME


def checkpoint_last() -> Checkpoint | None:
    """The newest checkpoint if its signature holds (the file's last line; for the screen)."""
    path = checkpoint_path()
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 4096))
        lines = handle.read().decode("utf-8", "replace").strip().splitlines()
    try:
        checkpoint = Checkpoint(**json.loads(lines[-1])) if lines else None
    except (ValueError, TypeError):
        return None
    return checkpoint if checkpoint is not None and checkpoint.signature_valid() else None


def checkpoints_read() -> list[Checkpoint]:
    """Every checkpoint in file order; raise :class:`CheckpointFileError` at the first bad one."""
    path = checkpoint_path()
    if not path.exists():
        return []
    result: list[Checkpoint] = []
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                checkpoint = Checkpoint(**json.loads(raw))
            except (ValueError, TypeError) as exc:
                raise CheckpointFileError(number, "unreadable") from exc
            if not checkpoint.signature_valid():
                raise CheckpointFileError(number, "signature does not match (forged or altered)")
            if result and checkpoint.last_seq < result[-1].last_seq:
                raise CheckpointFileError(number, "goes back before the previous checkpoint")
            result.append(checkpoint)
    return result


def _append(checkpoint: Checkpoint) -> None:
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
        checkpoints = checkpoints_read()
    except CheckpointFileError as exc:
        logger.error("audit checkpoint refused: %s", exc)
        return CheckpointResult(None, ChainProblem(None, None, str(exc)))
    previous = checkpoints[-1] if checkpoints else None
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
    _append(checkpoint)
    return CheckpointResult(checkpoint, None, previous)
