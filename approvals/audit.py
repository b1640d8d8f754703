"""Writing and verifying the audit log (append-only, hash-chained)."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from approvals.middleware import current_origin
from approvals.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


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
    return hashlib.sha256((prev_hash + _canonical(event)).encode()).hexdigest()


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
    """Append one event in the caller's transaction (write it last: it locks the chain head)."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        origin = current_origin()
        user = actor if actor is not None and actor.is_authenticated else None
        event = AuditEvent(
            seq=head.seq + 1,
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
            prev_hash=head.hash,
        )
        event.hash = event_hash(head.hash, event)
        event.save(force_insert=True)
        head.seq = event.seq
        head.hash = event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    event_id: int | None
    reason: str


def verify_chain(events: Iterable[AuditEvent] | None = None) -> ChainProblem | None:
    """Walk the log in sequence order; return the first problem, or None when intact."""
    rows: Iterator[AuditEvent] = iter(
        events if events is not None else AuditEvent.objects.order_by("seq").iterator(2000)
    )
    prev_hash = GENESIS
    expected_seq = 1
    last: AuditEvent | None = None
    for event in rows:
        if event.seq != expected_seq:
            return ChainProblem(event.seq, event.pk, f"sequence gap: expected {expected_seq}")
        if event.prev_hash != prev_hash:
            return ChainProblem(event.seq, event.pk, "previous hash does not match")
        if event_hash(prev_hash, event) != event.hash:
            return ChainProblem(event.seq, event.pk, "content altered (hash mismatch)")
        prev_hash = event.hash
        expected_seq += 1
        last = event
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq != (last.seq if last else 0):
        return ChainProblem(
            head.seq, None, f"chain head at {head.seq} but log ends at {last.seq if last else 0}"
        )
    if head is not None and last is not None and head.hash != last.hash:
        return ChainProblem(last.seq, last.pk, "last event does not match the chain head")
    return None
