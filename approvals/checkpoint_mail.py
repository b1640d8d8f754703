"""Writing an audit checkpoint and e-mailing the previous day's final one to the auditors.

Kept out of :mod:`approvals.audit` because the outbox writes audit events: the audit package
must not import the outbox back.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals import outbox
from approvals.audit.checkpoints import Checkpoint, CheckpointResult, checkpoint_write


def _email_final(previous: Checkpoint, now: datetime.datetime) -> str:
    """E-mail the previous day's final checkpoint once a checkpoint of a later day is written."""
    address = settings.AUDIT_CHECKPOINT_EMAIL
    previous_day = timezone.localdate(previous.moment)
    if not address or previous_day >= timezone.localdate(now):
        return ""
    # Stored and sent to other people: in the site's language, whoever runs the job.
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Điểm kiểm tra cuối ngày của nhật ký hệ thống. Lưu thư này ở nơi máy chủ không sửa "
            "được; khi cần, so với kết quả manage.py verify_audit."
        )
        subject = _("Nhật ký hệ thống: điểm kiểm tra ngày %(day)s") % {
            "day": previous_day.isoformat()
        }
    outbox.message_enqueue(
        to_address=address,
        subject=subject,
        body_text=body + "\n\n" + previous.as_line(),
        dedup_key=f"audit-checkpoint:{previous_day.isoformat()}",
    )
    return previous_day.isoformat()


def checkpoint_write_and_mail(*, now: datetime.datetime | None = None) -> CheckpointResult:
    """Append a signed checkpoint; the first of a day also e-mails the previous day's final one."""
    now = now or timezone.now()
    result = checkpoint_write(now=now)
    if result.checkpoint is None or result.previous is None:
        return result
    return dataclasses.replace(result, emailed=_email_final(result.previous, now))
