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
from approvals.audit.checkpoints import (
    Checkpoint,
    CheckpointResult,
    Verification,
    checkpoint_write,
    checkpoints_read,
    verify_log,
)

__all__ = [
    "GENESIS",
    "ChainProblem",
    "Checkpoint",
    "CheckpointResult",
    "UnknownAuditKey",
    "Verification",
    "audit_record",
    "checkpoint_write",
    "checkpoints_read",
    "current_key_id",
    "event_hash",
    "verify_chain",
    "verify_log",
]
