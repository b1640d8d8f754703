"""``manage.py audit_checkpoint``: append a signed checkpoint of the audit chain (on demand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from approvals.checkpoint_mail import checkpoint_write_and_mail


class Command(BaseCommand):
    help = (
        "Ghi một điểm kiểm tra có chữ ký của nhật ký hệ thống (sau khi kiểm tra chuỗi kể từ điểm "
        "trước) vào kho điểm kiểm tra: thư mục AUDIT_CHECKPOINT_DIR, hoặc bucket "
        "AUDIT_CHECKPOINT_S3_BUCKET khi đã cấu hình."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = checkpoint_write_and_mail()
        if result.checkpoint is None:
            reason = result.problem.reason if result.problem else "?"
            raise CommandError(f"Không ghi điểm kiểm tra: {reason}")
        cp = result.checkpoint
        self.stdout.write(
            self.style.SUCCESS(
                f"Điểm kiểm tra: {cp.count} sự kiện, cuối #{cp.last_seq}, khóa {cp.key_id}."
            )
        )
        if result.emailed:
            self.stdout.write(f"Đã gửi điểm kiểm tra cuối ngày {result.emailed}.")
