"""``manage.py database_roles_sql``: print the SQL that gives the application role its rights.

Run its output as the owner role (or a superuser) after every ``migrate``: the application role
gets SELECT, INSERT, UPDATE and DELETE on every table and the sequences, then loses every write
right but INSERT on the audit log. It never owns a table, so it cannot change or drop a trigger.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

AUDIT_TABLE = "approvals_auditevent"
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role_grants(app_role: str) -> list[str]:
    """The statements, in order; idempotent, so they may run after each migration."""
    if not _ROLE.match(app_role):
        raise ValueError(f"not a plain role name: {app_role!r}")
    return [
        f"GRANT USAGE ON SCHEMA public TO {app_role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app_role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app_role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABLE} FROM {app_role}",
    ]


class Command(BaseCommand):
    help = "In SQL: quyền của vai trò ứng dụng (chỉ INSERT và SELECT trên nhật ký hệ thống)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-role", default="doanravao_app")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            statements = app_role_grants(options["app_role"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\n".join(f"{statement};" for statement in statements))
