"""``manage.py sweep_orphan_files``: set aside the stored files no row names (on demand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from approvals.orphan_files import sweep_orphan_files


class Command(BaseCommand):
    help = (
        "Chuyển các tệp không còn bản ghi nào nhắc tới vào quarantine/<ngày>/ và xóa hẳn các tệp "
        "đã nằm ở đó quá ORPHAN_FILE_RETENTION_DAYS ngày."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        listing_only = "Chỉ liệt kê, không chuyển hay xóa tệp nào."
        parser.add_argument("--dry-run", action="store_true", help=listing_only)

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        try:
            result = sweep_orphan_files(dry_run=dry_run)
        except Exception as exc:  # the storage (a bucket's client) did not answer
            raise CommandError(
                _("Không đọc được nơi lưu tệp: %(error)s")
                % {"error": f"{type(exc).__name__}: {exc}"}
            ) from exc
        if result.busy:
            raise CommandError(
                _("Một lượt dọn tệp khác đang chạy; hãy chạy lại sau khi lượt đó xong.")
            )
        for name in result.quarantined:
            self.stdout.write(_("Tệp không ai nhắc tới: %(name)s") % {"name": name})
        for name in result.purged:
            self.stdout.write(_("Xóa khỏi nơi cách ly: %(name)s") % {"name": name})
        for problem in result.errors:
            self.stderr.write(_("Không xử lý được %(problem)s") % {"problem": problem})
        summary = _(
            "%(files)s tệp đã xem; %(quarantined)s tệp chuyển vào nơi cách ly, %(young)s tệp còn "
            "mới để lại, %(purged)s tệp đã xóa hẳn."
        ) % {
            "files": result.files,
            "quarantined": len(result.quarantined),
            "young": result.too_young,
            "purged": len(result.purged),
        }
        if dry_run:
            summary = _("Chạy thử, không thay đổi gì: %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
