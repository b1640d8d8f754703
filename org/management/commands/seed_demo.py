"""``manage.py seed_demo``: load the demo directory, log-ins, partners and MOUs, and a past
year of trips and visits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from org import demo, demo_signing
from org.models import Unit


class Command(BaseCommand):
    """Upsert the demo data (idempotent: a second run creates and changes nothing).

    Every demo log-in gets ``settings.DEMO_PASSWORD``, and ``admin`` is a superuser, so the
    command refuses to run unless ``DEBUG`` is on or ``--force`` is given.
    """

    help = "Nạp dữ liệu demo (Load the demo data); chạy lại nhiều lần vẫn an toàn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--city",
            choices=("hcm", "haiphong"),
            default="hcm",
            help="Thành phố của dữ liệu demo (demo city): hcm (mặc định) hoặc haiphong.",
        )
        parser.add_argument(
            "--without-history",
            action="store_true",
            help="Chỉ danh bạ, không tạo hồ sơ năm trước (directory only, no past year).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (run even when DEBUG is off).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "seed_demo tạo tài khoản với mật khẩu công khai nên chỉ chạy khi DEBUG bật; "
                    "dùng --force nếu thực sự muốn."
                )
            )
        tally = demo.Tally()
        if options.get("city") == "haiphong":
            with transaction.atomic():
                units = demo.seed_haiphong(tally)
            self.stdout.write(
                _("Đã tạo %(created)d, cập nhật %(updated)d bản ghi (created, updated rows).")
                % {"created": tally.created, "updated": tally.updated}
            )
            self._print_logins(units, demo.HP_LOGINS)
            self._demo_certificate()
            return
        with transaction.atomic():
            units = demo.seed_units(tally)
            password = demo.DemoPassword()
            for staff in demo.LOGINS:
                user = demo.seed_user(staff, tally, password)
                demo.seed_person(staff, units, user, tally)
                demo.seed_roles(staff, user, units, tally)
            for staff in demo.STAFF:
                demo.seed_person(staff, units, None, tally)
            demo.seed_partners(units, tally)
            if not options.get("without_history"):
                demo.seed_history(units, tally)

        self.stdout.write(
            _("Đã tạo %(created)d, cập nhật %(updated)d bản ghi (created, updated rows).")
            % {"created": tally.created, "updated": tally.updated}
        )
        self._print_logins(units, demo.LOGINS)
        self._demo_certificate()

    def _demo_certificate(self) -> None:
        """Write the demo organisation certificate where the settings name it, once.

        ``make demo`` names ``var/demo-signing/`` so that documents are signed and the agencies'
        e-mails go out; elsewhere (nothing configured, or the Sở's own file) nothing is written.
        """
        p12 = settings.DOCUMENT_SIGNING_P12
        roots = settings.DOCUMENT_SIGNING_TRUST_ROOTS
        if not p12 or len(roots) != 1:
            return
        if demo_signing.write_demo_certificate(
            Path(p12), Path(roots[0]), settings.DOCUMENT_SIGNING_P12_PASSWORD
        ):
            self.stdout.write(
                _(
                    "Đã tạo chứng thư số demo của cơ quan: %(path)s "
                    "(demo certificate, not for production)"
                )
                % {"path": p12}
            )

    def _print_logins(self, units: dict[str, Unit], logins: list[demo.Staff]) -> None:
        header = (
            _("Tên đăng nhập (username)"),
            _("Vai trò (who)"),
            _("Đơn vị (unit)"),
        )
        rows = [(staff.username, str(staff.who), units[staff.unit].name) for staff in logins]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(2)]
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                _("Tài khoản demo (mật khẩu: %(password)s) – Demo log-ins (password: %(password)s)")
                % {"password": settings.DEMO_PASSWORD}
            )
        )
        for i, row in enumerate([header, *rows]):
            line = f"  {row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}"
            self.stdout.write(self.style.MIGRATE_LABEL(line) if i == 0 else line)
        self.stdout.write("")
        self.stdout.write(
            _("Mở %(url)s (open in a browser)")
            % {"url": f"http://{settings.DEMO_HOST}:{settings.DEMO_PORT}/"}
        )
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(
                _("Thư điện tử được ghi thành tệp trong %(path)s (e-mails are written there)")
                % {"path": settings.EMAIL_FILE_PATH}
            )
