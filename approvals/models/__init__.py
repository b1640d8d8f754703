"""The approvals app's models, one module per concern; import them from here.

- :mod:`.record`: the audit log and what is decided on a request (decisions, rule stamps,
  justifications, agency notifications).
- :mod:`.outbox`: e-mails waiting to be sent, in-app notices, agency recipients, deadline alerts.
- :mod:`.documents`: official documents and their registers.
- :mod:`.jobs`: the leases of background jobs that must not run twice at once.
"""

from approvals.models.documents import (
    Document,
    DocumentKind,
    DocumentRegister,
    DocumentSeries,
    DocumentSignature,
    NumberingMode,
    SignatureKind,
    SigningCertificate,
    UnitNumbering,
    document_docx_path,
    document_pdf_path,
    numbering_mode,
)
from approvals.models.jobs import JobLease
from approvals.models.outbox import (
    AgencyRecipient,
    AlertKind,
    Channel,
    DeadlineAlert,
    MessageStatus,
    Notice,
    OutboxMessage,
    new_message_id,
)
from approvals.models.record import (
    AcknowledgementChannel,
    AgencyNotification,
    AuditChainHead,
    AuditEvent,
    Decision,
    Justification,
    NoticeReason,
    NoticeStatus,
    RequestRef,
    RuleStamp,
)

__all__ = [
    "AcknowledgementChannel",
    "AgencyNotification",
    "AgencyRecipient",
    "AlertKind",
    "AuditChainHead",
    "AuditEvent",
    "Channel",
    "DeadlineAlert",
    "Decision",
    "Document",
    "DocumentKind",
    "DocumentRegister",
    "DocumentSeries",
    "DocumentSignature",
    "JobLease",
    "Justification",
    "MessageStatus",
    "Notice",
    "NoticeReason",
    "NoticeStatus",
    "NumberingMode",
    "OutboxMessage",
    "RequestRef",
    "RuleStamp",
    "SignatureKind",
    "SigningCertificate",
    "UnitNumbering",
    # Migrations 0004 and 0005 refer to these callables by this path.
    "document_docx_path",
    "document_pdf_path",
    "new_message_id",
    "numbering_mode",
]
