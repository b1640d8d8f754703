"""``manage.py import_org FILE [--dry-run]``: import units and staff from XLSX or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from org.importing import ImportFileError, org_import


class Command(BaseCommand):
    help = "Nhập đơn vị và cán bộ từ tệp Excel (.xlsx) hoặc CSV; xem docs/import.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .xlsx hoặc .csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra và cho biết sẽ thay đổi gì, không ghi vào cơ sở dữ liệu.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Print every row error and fail, or print the counts."""
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Không đọc được tệp %(path)s: %(reason)s") % {"path": path, "reason": exc}
            ) from exc
        try:
            result = org_import(data=data, filename=path.name, dry_run=options["dry_run"])
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"[{error.source}] {error}")
            raise CommandError(
                _("Có %(count)s lỗi; không nhập dòng nào.") % {"count": len(result.errors)}
            )
        for line in result.summary():
            self.stdout.write(line)
        if result.dry_run:
            self.stdout.write(_("Chạy thử: chưa ghi gì vào cơ sở dữ liệu."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Đã nhập xong.")))
