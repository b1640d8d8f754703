"""``manage.py verify_audit``: check the audit chain and its checkpoints, name the first problem."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from approvals.audit import verify_log


class Command(BaseCommand):
    help = (
        "Kiểm tra tính toàn vẹn của nhật ký hệ thống: chuỗi băm có khóa và các điểm kiểm tra "
        "lưu ngoài cơ sở dữ liệu."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_log()
        problem = result.problem
        if problem is not None:
            where = f"sự kiện #{problem.seq} (id {problem.event_id})"
            if result.checkpoint_line is not None:
                where = f"điểm kiểm tra dòng {result.checkpoint_line}"
            elif problem.seq is None:
                where = "đầu chuỗi"
            raise CommandError(f"Nhật ký bị thay đổi tại {where}: {problem.reason}")
        last = result.last_checkpoint_at.isoformat() if result.last_checkpoint_at else "chưa có"
        self.stdout.write(
            self.style.SUCCESS(
                f"Nhật ký toàn vẹn: {result.events} sự kiện, {result.checkpoints} điểm kiểm tra "
                f"(gần nhất: {last})."
            )
        )
