"""``manage.py verify_audit``: check the audit log's hash chain, name the first bad event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from approvals.audit import verify_chain
from approvals.models import AuditEvent


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký kiểm toán (chuỗi băm)."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = verify_chain()
        if problem is not None:
            raise CommandError(
                f"Nhật ký bị thay đổi tại sự kiện #{problem.seq} (id {problem.event_id}): "
                f"{problem.reason}"
            )
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Nhật ký toàn vẹn: {count} sự kiện."))
