"""The audit log: the keyed hash chain (:mod:`.chain`) and its checkpoints (:mod:`.checkpoints`)."""

from approvals.audit.chain import (
    GENESIS,
    ChainProblem,
    UnknownAuditKey,
    audit_record,
    current_key_id,
    event_hash,
    verify_chain,
)
from approvals.audit.changes import bounded_snapshot, changes
from approvals.audit.checkpoints import (
    Checkpoint,
    CheckpointResult,
    CheckpointStoreError,
    Verification,
    checkpoint_last,
    checkpoint_write,
    checkpoints_read,
    verify_log,
)
from approvals.audit.jobs import (
    verification_get,
    verification_last,
    verification_run,
    verification_start,
)

__all__ = [
    "GENESIS",
    "ChainProblem",
    "Checkpoint",
    "CheckpointResult",
    "CheckpointStoreError",
    "UnknownAuditKey",
    "Verification",
    "audit_record",
    "bounded_snapshot",
    "changes",
    "checkpoint_last",
    "checkpoint_write",
    "checkpoints_read",
    "current_key_id",
    "event_hash",
    "verification_get",
    "verification_last",
    "verification_run",
    "verification_start",
    "verify_chain",
    "verify_log",
]
