""" "Verify now": a verification of the whole log run as a background job, its state in the cache.

The page starts a job (:func:`verification_start`), a Celery task runs it
(:func:`verification_run`, eager on a laptop) and the page reads its state and progress
(:func:`verification_get`). The latest finished result is kept too, for the screen's status.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from approvals.audit.chain import audit_record
from approvals.audit.checkpoints import verify_log
from approvals.models import AuditChainHead

JOB_TTL = 24 * 3600
LAST_KEY = "audit:verification:last"


def _key(job_id: str) -> str:
    return f"audit:verification:{job_id}"


def verification_start(*, actor: User) -> str:
    """Record who asked and queue nothing yet: the caller sends the task (after commit)."""
    job_id = uuid.uuid4().hex
    head = AuditChainHead.objects.filter(pk=1).first()
    cache.set(
        _key(job_id),
        {"state": "queued", "total": head.seq if head else 0, "done": 0, "by": actor.pk},
        JOB_TTL,
    )
    audit_record(actor=actor, action="audit.verification_requested", object_type="audit",
                 object_id=job_id)  # fmt: skip
    return job_id


def verification_get(job_id: str) -> dict[str, Any] | None:
    if not job_id.isalnum() or len(job_id) != 32:
        return None
    state: dict[str, Any] | None = cache.get(_key(job_id))
    return state


def verification_last() -> dict[str, Any] | None:
    state: dict[str, Any] | None = cache.get(LAST_KEY)
    return state


def verification_run(job_id: str) -> dict[str, Any]:
    """Walk the whole log and the checkpoints, telling the cache how far it got."""
    state = verification_get(job_id) or {"total": 0, "by": None}

    def progress(seq: int) -> None:
        cache.set(_key(job_id), {**state, "state": "running", "done": seq}, JOB_TTL)

    progress(0)
    result = verify_log(progress=progress)
    finished = {
        **state,
        **result.as_json(),
        "state": "done",
        "done": result.events,
        "checked_at": timezone.now().isoformat(),
    }
    cache.set(_key(job_id), finished, JOB_TTL)
    cache.set(LAST_KEY, finished, None)
    return finished
