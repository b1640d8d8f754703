"""Writing and verifying the audit log: append-only, chained by HMAC under a key outside the DB.

Each event's ``hash`` is HMAC-SHA256, under the key its ``key_id`` names in ``AUDIT_KEYS``, of
the key id, the previous event's hash and the event's canonical JSON. Events written before the
chain was keyed have no key id and a plain SHA-256 (the legacy prefix); once a keyed event
appears, every later event must be keyed, so nobody can continue the chain without the key.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from approvals.middleware import current_origin
from approvals.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
PROGRESS_EVERY = 2000


class UnknownAuditKey(LookupError):
    """An event or checkpoint names a key id that ``AUDIT_KEYS`` does not hold."""


def audit_keys() -> dict[str, bytes]:
    return dict(settings.AUDIT_KEYS)


def current_key_id() -> str:
    key_id: str = settings.AUDIT_KEYS[0][0]
    return key_id


def keyed_digest(key_id: str, message: bytes) -> str:
    """HMAC-SHA256 of ``message`` under the key ``key_id`` (the id is part of the message)."""
    key = audit_keys().get(key_id)
    if key is None:
        raise UnknownAuditKey(key_id)
    return hmac.new(key, key_id.encode() + b"\n" + message, hashlib.sha256).hexdigest()


def _canonical(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(datetime.UTC).isoformat(),
        "actor": event.actor_id,
        "actor_username": event.actor_username,
        "acting_for": event.acting_for,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "comment": event.comment,
        "ip": event.ip,
        "request_id": event.request_id,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    """The hash ``event`` must carry after ``prev_hash``: keyed, or plain for a legacy event."""
    message = (prev_hash + _canonical(event)).encode()
    if not event.key_id:
        return hashlib.sha256(message).hexdigest()
    return keyed_digest(event.key_id, message)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder)) if value is not None else None


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    comment: str = "",
    acting_for: str = "",
) -> AuditEvent:
    """Append one event to the log, in the caller's transaction.

    Inside a transaction the event waits, and every event of the transaction is chained in one
    step just before it commits (:mod:`config.db`): the chain head's row lock is the last
    lock the transaction takes and is held only for that step. Outside a transaction, the event
    is chained and written at once. Either way the event belongs to the transaction: rolled
    back with it (or with its savepoint), committed with it.
    """
    origin = current_origin()
    user = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        # Truncated to microseconds as stored, so the hash survives a round trip.
        occurred_at=timezone.now().astimezone(datetime.UTC),
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        acting_for=acting_for,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id if object_id is not None else (obj.pk if obj else "")),
        object_repr=str(obj)[:255] if obj is not None else "",
        before=_jsonable(before),
        after=_jsonable(after),
        comment=comment,
        ip=origin.ip if origin else None,
        request_id=origin.request_id if origin else "",
    )
    connection = transaction.get_connection()
    if getattr(connection, "queues_before_commit", lambda: False)():
        connection.queue_before_commit(_chain, event)
    else:
        with transaction.atomic():
            _chain(connection, [event])
    return event


def _chain(connection: Any, events: list[AuditEvent]) -> None:
    """Lock the chain head, give each event its number and hash in order, write them all."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    key_id = current_key_id()
    seq, prev = head.seq, head.hash
    for event in events:
        seq += 1
        event.seq = seq
        event.prev_hash = prev
        event.key_id = key_id
        event.hash = event_hash(prev, event)
        prev = event.hash
    AuditEvent.objects.bulk_create(events)
    head.seq = seq
    head.hash = prev
    head.save(update_fields=["seq", "hash"])


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    event_id: int | None
    reason: str


@dataclass(frozen=True)
class ChainEnd:
    """Where a walk of the chain ended: the last good event's sequence number and hash."""

    seq: int
    hash: str
    event_id: int | None
    #: The walk has passed a keyed event: every later one must be keyed too.
    keyed: bool = False


def walk_chain(
    events: Iterable[AuditEvent] | None = None,
    *,
    start: ChainEnd | None = None,
    seen: dict[int, tuple[int, str]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[ChainProblem | None, ChainEnd]:
    """Walk the log in sequence order from ``start`` (default: the genesis).

    Returns the first problem (or None) and the last good event. ``seen``, when given, maps the
    sequence numbers the caller wants to (event id, hash) as the walk passes them;
    ``progress`` is told the sequence number reached every ``PROGRESS_EVERY`` events.
    """
    end = start or ChainEnd(0, GENESIS, None)
    keyed = end.keyed
    if events is None:
        events = AuditEvent.objects.filter(seq__gt=end.seq).order_by("seq").iterator(2000)
    rows: Iterator[AuditEvent] = iter(events)
    expected_seq = end.seq + 1
    for event in rows:
        if event.seq != expected_seq:
            return ChainProblem(event.seq, event.pk, f"sequence gap: expected {expected_seq}"), end
        if event.prev_hash != end.hash:
            return ChainProblem(event.seq, event.pk, "previous hash does not match"), end
        if keyed and not event.key_id:
            return ChainProblem(event.seq, event.pk, "unkeyed event after the keyed cut-over"), end
        try:
            expected = event_hash(end.hash, event)
        except UnknownAuditKey:
            return ChainProblem(event.seq, event.pk, f"unknown key id {event.key_id!r}"), end
        if not hmac.compare_digest(expected, event.hash):
            return ChainProblem(event.seq, event.pk, "content altered (hash mismatch)"), end
        keyed = keyed or bool(event.key_id)
        end = ChainEnd(event.seq, event.hash, event.pk, keyed)
        if seen is not None and event.seq in seen:
            seen[event.seq] = (event.pk, event.hash)
        expected_seq += 1
        if progress is not None and event.seq % PROGRESS_EVERY == 0:
            progress(event.seq)
    return None, end


def settle_head(
    problem: ChainProblem | None,
    end: ChainEnd,
    *,
    seen: dict[int, tuple[int, str]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[ChainProblem | None, ChainEnd]:
    """After a walk: the chain-head row must point at the last event the walk reached.

    Events appended while the walk ran move the head past its end: those are walked too (a
    few rounds), so a busy log does not look tampered with. The head is read after the walk
    and moves in the same transaction as each insert, so a head *behind* the log's end means
    rows were added outside the application, or the head was moved back.
    """
    for _round in range(5):
        if problem is not None:
            return problem, end
        head = AuditChainHead.objects.filter(pk=1).first()
        if head is None:
            if end.seq:
                return ChainProblem(
                    None, None, f"chain head row missing; log ends at {end.seq}"
                ), end
            return None, end
        if head.seq > end.seq:
            before = end.seq
            problem, end = walk_chain(start=end, seen=seen, progress=progress)
            if problem is None and end.seq == before:
                # Nothing new to walk: rows were cut off the end (or the table emptied).
                reason = f"chain head at {head.seq} but log ends at {end.seq}"
                return ChainProblem(head.seq, None, reason), end
            continue
        if head.seq < end.seq:
            reason = f"chain head at {head.seq} but log ends at {end.seq}"
            return ChainProblem(head.seq, None, reason), end
        if head.hash != end.hash:
            reason = "last event does not match the chain head"
            return ChainProblem(end.seq, end.event_id, reason), end
        return None, end
    return problem, end  # still moving after five rounds: a busy log, not a broken one


def verify_chain(events: Iterable[AuditEvent] | None = None) -> ChainProblem | None:
    """Walk the whole log in sequence order; return the first problem, or None when intact.

    The chain alone cannot see rows cut off its end together with the head: that is what the
    checkpoints are for (:func:`approvals.audit.verify_log`).
    """
    problem, end = walk_chain(events)
    if events is not None:
        # A given list is the whole log: no walking on past it.
        problem = problem or _head_matches(end)
        return problem
    return settle_head(problem, end)[0]


def _head_matches(end: ChainEnd) -> ChainProblem | None:
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (end.seq, end.hash):
        return ChainProblem(head.seq, None, f"chain head at {head.seq} but log ends at {end.seq}")
    return None
