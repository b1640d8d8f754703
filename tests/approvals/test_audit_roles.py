"""On PostgreSQL, the application's role may add to the audit log and read it, nothing more.

The PostgreSQL pass (``make test-services``) runs the whole suite as that role, given exactly the
rights ``manage.py database_roles_sql`` prints for production (``tests/db_roles.py``). These tests
prove it: the application's connections — this one and a separate process's, as the workers and
gunicorn open them — are the restricted role, never the superuser the pass logged in as, and the
statements an insider would use on the audit log fail for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from approvals.audit import audit_record, verify_chain
from approvals.management.commands.database_roles_sql import app_role_grants
from approvals.models import AuditEvent
from org.models import Unit
from tests import db_roles

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]

#: What the role may not be or hold, as pg_roles and the audit table's owner tell.
WHO_AM_I = """
SELECT current_user, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
       pg_has_role(current_user, t.tableowner, 'MEMBER')
FROM pg_roles r, pg_tables t
WHERE r.rolname = current_user AND t.tablename = 'approvals_auditevent'
"""


@pytest.fixture
def app_role() -> str:
    role = db_roles.app_role()
    assert role, (
        "The PostgreSQL pass must run as the application role: set DATABASE_SET_ROLE "
        "(make test-services does; docs/production.md)."
    )
    audit_record(actor=None, action="test.before", object_type="t", object_id=1)
    return role


def test_the_application_connection_is_the_restricted_role(app_role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(WHO_AM_I)
        # Not a superuser, cannot make roles or databases, not the audit table's owner.
        assert cursor.fetchone() == (app_role, False, False, False, False, False)


def test_a_worker_process_connects_as_the_restricted_role(app_role: str) -> None:
    """What a Celery worker or gunicorn started with the pass's environment would be."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT current_user'); print(c.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == app_role


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE approvals_auditevent SET action = 'x'",
        "DELETE FROM approvals_auditevent",
        "TRUNCATE approvals_auditevent",
        "ALTER TABLE approvals_auditevent DISABLE TRIGGER approvals_auditevent_no_change",
        "ALTER TABLE approvals_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER approvals_auditevent_no_change ON approvals_auditevent",
        "DROP TRIGGER approvals_auditevent_no_truncate ON approvals_auditevent",
        "SET session_replication_role = replica",
        "CREATE TABLE approvals_shadow (id int)",
    ],
)
def test_app_role_cannot_change_or_unprotect_the_audit_log(app_role: str, sql: str) -> None:
    with (
        pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.filter(action="test.before").count() == 1


def test_app_role_appends_and_reads_the_log_and_works_elsewhere(app_role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (app_role,)
    audit_record(actor=None, action="test.after", object_type="t", object_id=2)
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "test.before",
        "test.after",
    ]
    assert verify_chain() is None
    unit = Unit.objects.create(code="X-1", name="Đơn vị thử")
    unit.name = "Đơn vị thử 2"
    unit.save()
    unit.delete()


def test_roles_sql_command_prints_the_tested_grants() -> None:
    out = StringIO()
    call_command("database_roles_sql", "--app-role", "doanravao_app", stdout=out)
    assert out.getvalue().splitlines() == [f"{s};" for s in app_role_grants("doanravao_app")]
    assert "REVOKE UPDATE, DELETE, TRUNCATE" in out.getvalue()
