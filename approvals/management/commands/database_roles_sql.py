"""``manage.py database_roles_sql``: print the SQL that gives the application role its rights.

Run its output as the owner role after every ``migrate``: the application role gets SELECT,
INSERT, UPDATE and DELETE on every table and the sequences (and, by default privileges, on those
the owner's later migrations create), then loses every write right but INSERT on the audit log.
It never owns a table, so it cannot change or drop a trigger, and nobody but the schema's owner
may create tables in it. The PostgreSQL test pass (``make test-services``) runs these same
statements on its test database (``tests/db_roles.py``), so the documentation and CI cannot drift.
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
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {app_role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app_role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app_role}",
        # Tables and sequences the owner creates later (run as the owner: "FOR ROLE" is it).
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app_role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {app_role}",
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
