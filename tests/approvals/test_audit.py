import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from approvals.audit import audit_record, event_hash, verify_chain
from approvals.documents.services import document_file_for_user
from approvals.models import AuditEvent, Document
from tests.db_roles import as_owner
from tests.factories import UserFactory, make_staff
from tests.flows import approve_all, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> list[AuditEvent]:
    user = UserFactory(username="writer")
    return [
        audit_record(actor=user, action="test.event", object_type="t", object_id=i, after={"n": i})
        for i in range(1, 6)
    ]


def _raw(sql: str, params: list) -> None:
    """Tamper as a database superuser would: on PostgreSQL, bypassing the append-only trigger."""
    with as_owner(), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_intact_chain_verifies(chain) -> None:
    assert verify_chain() is None
    call_command("verify_audit")


def test_altered_row_is_detected_and_named(chain) -> None:
    _raw("UPDATE approvals_auditevent SET after = %s WHERE seq = 3", ['{"n": 99}'])
    problem = verify_chain()
    assert problem is not None and problem.seq == 3
    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit")


def test_deleted_row_is_detected(chain) -> None:
    _raw("DELETE FROM approvals_auditevent WHERE seq = 2", [])
    problem = verify_chain()
    assert problem is not None and problem.seq == 3


def test_deleted_last_row_is_detected(chain) -> None:
    _raw("DELETE FROM approvals_auditevent WHERE seq = 5", [])
    assert verify_chain() is not None


def test_appended_forged_row_is_detected(chain) -> None:
    forged = AuditEvent.objects.get(seq=5)
    forged.pk = None
    forged.seq = 6
    forged.prev_hash = AuditEvent.objects.get(seq=5).hash
    forged.hash = event_hash(forged.prev_hash, forged)
    forged.save(force_insert=True)
    problem = verify_chain()
    assert problem is not None and "head" in problem.reason


def test_row_inserted_in_the_middle_is_detected(chain) -> None:
    _raw("UPDATE approvals_auditevent SET seq = -seq WHERE seq >= 4", [])
    _raw("UPDATE approvals_auditevent SET seq = -seq + 1 WHERE seq < 0", [])
    forged = AuditEvent.objects.get(seq=3)
    forged.pk = None
    forged.seq = 4
    forged.hash = "f" * 64
    forged.save(force_insert=True)
    problem = verify_chain()
    assert problem is not None and problem.seq == 4


def test_reordered_rows_are_detected(chain) -> None:
    _raw("UPDATE approvals_auditevent SET seq = -1 WHERE seq = 2", [])
    _raw("UPDATE approvals_auditevent SET seq = 2 WHERE seq = 3", [])
    _raw("UPDATE approvals_auditevent SET seq = 3 WHERE seq = -1", [])
    problem = verify_chain()
    assert problem is not None and problem.seq == 2


@pytest.mark.postgres
def test_database_refuses_update_and_delete_of_audit_rows(chain) -> None:
    """Even for the owner (the application role has no right to try: test_audit_roles.py)."""
    for sql in (
        "UPDATE approvals_auditevent SET action = 'x' WHERE seq = 1",
        "DELETE FROM approvals_auditevent WHERE seq = 1",
    ):
        with (
            as_owner(),
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEvent.objects.count() == 5


def test_reading_a_document_with_passport_numbers_is_audited(org, teacher_a, auditor) -> None:
    head = make_staff("head_doc", org.school_a, "unit_head")
    reviewer = make_staff("rev_doc", org.office, "dept_reviewer")
    director = make_staff("dir_doc", org.department, "director")
    request = approve_all(submitted(teacher_a), head, reviewer, director)
    document = Document.objects.filter(request_id=request.pk).first()
    assert document is not None
    document_file_for_user(document, "pdf", auditor.user)
    event = AuditEvent.objects.filter(action="document.viewed").get()
    assert event.actor_username == "auditor" and event.object_id == str(document.pk)
