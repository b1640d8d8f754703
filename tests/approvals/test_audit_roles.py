"""On PostgreSQL, the application's role may add to the audit log and read it, nothing more.

The role is created inside the test's transaction (rolled back with it) and given exactly the
rights ``manage.py database_roles_sql`` prints for production; the test then ``SET ROLE``s to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from approvals.audit import audit_record, verify_chain
from approvals.management.commands.database_roles_sql import app_role_grants
from approvals.models import AuditEvent
from org.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def app_role() -> Iterator[str]:
    role = f"app_{uuid.uuid4().hex[:12]}"
    audit_record(actor=None, action="test.before", object_type="t", object_id=1)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        for statement in app_role_grants(role):
            cursor.execute(statement)
        cursor.execute(f"SET ROLE {role}")
    try:
        yield role
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


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
