"""The audit log tried as an insider with database access would (QUALITY.md R9).

Every case runs on SQLite and, under ``make test-services``, on PostgreSQL, where the helper
bypasses the append-only triggers as a superuser can (``session_replication_role``). Each test
first writes an hourly checkpoint, as production does, then tampers, then asserts that
``verify_audit`` names the first bad event or the checkpoint that no longer matches.
"""

from __future__ import annotations

import datetime
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from approvals.audit import (
    GENESIS,
    ChainProblem,
    audit_record,
    checkpoint_write,
    event_hash,
    verify_chain,
    verify_log,
)
from approvals.audit.chain import settle_head, walk_chain
from approvals.checkpoint_mail import checkpoint_write_and_mail
from approvals.models import AuditChainHead, AuditEvent, OutboxMessage
from tests.db_roles import as_owner
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#: The real key id with a key an insider might guess (the tests' own key comes from pyproject).
KEY_ID = settings.AUDIT_KEYS[0][0]
GUESSED = [(KEY_ID, b"g" * 32)]


@pytest.fixture(autouse=True)
def _checkpoints_in_tmp(settings: Any, tmp_path: Path) -> Path:
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.AUDIT_CHECKPOINT_EMAIL = ""
    return tmp_path / "checkpoints"


@pytest.fixture
def chain() -> list[AuditEvent]:
    """Five events and a checkpoint over them."""
    user = UserFactory(username="writer")
    events = [
        audit_record(actor=user, action="test.event", object_type="t", object_id=i, after={"n": i})
        for i in range(1, 6)
    ]
    assert checkpoint_write().checkpoint is not None
    return events


def _raw(sql: str, params: list[Any] | None = None) -> None:
    """Tamper as a database superuser would: on PostgreSQL, bypassing the triggers."""
    with as_owner(), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params or [])


def _set_head(seq: int, hash_: str) -> None:
    _raw("UPDATE approvals_auditchainhead SET seq = %s, hash = %s WHERE id = 1", [seq, hash_])


def _truncate() -> None:
    if connection.vendor == "postgresql":
        _raw("TRUNCATE approvals_auditevent")
    else:
        _raw("DELETE FROM approvals_auditevent")


def _rehash_from(seq: int, *, keys: list[tuple[str, bytes]], key_id: str) -> None:
    """Recompute the hashes from ``seq`` on with ``keys``, and move the head along."""
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    with override_settings(AUDIT_KEYS=keys):
        for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
            event.key_id = key_id
            new = event_hash(prev, event)
            _raw(
                "UPDATE approvals_auditevent SET prev_hash = %s, hash = %s, key_id = %s "
                "WHERE seq = %s",
                [prev, new, key_id, event.seq],
            )
            prev = new
    _set_head(AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[0], prev)


def _fails(match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("verify_audit")


def _named(seq: int, reason: str) -> None:
    """The check names row ``seq`` and says why, and ``verify_audit`` fails naming it too."""
    problem = verify_log().problem
    assert problem is not None and problem.seq == seq and reason in problem.reason
    _fails(f"#{seq}")


def _detected(reason: str) -> None:
    """The check finds a problem and says ``reason``, and ``verify_audit`` fails saying it too."""
    problem = verify_log().problem
    assert problem is not None and reason in problem.reason
    _fails(reason)


def _caught_by_the_checkpoint(reason: str) -> ChainProblem:
    """The check blames line 1 of the checkpoint file and says why, and ``verify_audit`` fails
    naming that line too; the problem, for more."""
    result = verify_log()
    assert result.problem is not None and result.checkpoint_line == 1
    assert reason in result.problem.reason
    _fails("điểm kiểm tra dòng 1")
    return result.problem


def test_intact_log_with_checkpoint_verifies(chain: list[AuditEvent]) -> None:
    result = verify_log()
    assert result.intact and result.events == 5 and result.checkpoints == 1
    call_command("verify_audit")


def test_events_are_keyed_with_the_current_key(chain: list[AuditEvent]) -> None:
    assert {e.key_id for e in AuditEvent.objects.all()} == {KEY_ID}
    with override_settings(AUDIT_KEYS=GUESSED):
        assert verify_chain() is not None


def test_rewritten_field_is_named(chain: list[AuditEvent]) -> None:
    _raw("UPDATE approvals_auditevent SET after = %s WHERE seq = 3", ['{"n": 99}'])
    _named(3, "altered")


def test_deleted_middle_row_is_named(chain: list[AuditEvent]) -> None:
    _raw("DELETE FROM approvals_auditevent WHERE seq = 3")
    _named(4, "gap")


def test_deleted_head_row_is_detected(chain: list[AuditEvent]) -> None:
    _raw("DELETE FROM approvals_auditevent WHERE seq = 5")
    _raw("DELETE FROM approvals_auditchainhead")
    _detected("head")


def test_cut_tail_with_head_moved_back_is_caught_by_the_checkpoint(
    chain: list[AuditEvent],
) -> None:
    _raw("DELETE FROM approvals_auditevent WHERE seq >= 4")
    _set_head(3, chain[2].hash)
    assert verify_chain() is None  # the chain alone is fooled…
    problem = _caught_by_the_checkpoint("cut off")  # …the checkpoint outside the database is not
    assert problem.seq == 5


def test_forged_row_appended_with_a_guessed_key_is_named(chain: list[AuditEvent]) -> None:
    forged = AuditEvent.objects.get(seq=5)
    forged.pk = None
    forged.seq = 6
    forged.action = "test.forged"
    forged.prev_hash = chain[4].hash
    with override_settings(AUDIT_KEYS=GUESSED):
        forged.hash = event_hash(forged.prev_hash, forged)
    forged.save(force_insert=True)
    _set_head(6, forged.hash)
    _named(6, "altered")


def test_forged_row_inserted_in_the_middle_is_named(chain: list[AuditEvent]) -> None:
    _raw("UPDATE approvals_auditevent SET seq = -seq WHERE seq >= 4")
    _raw("UPDATE approvals_auditevent SET seq = -seq + 1 WHERE seq < 0")
    forged = AuditEvent.objects.get(seq=3)
    forged.pk = None
    forged.seq = 4
    forged.hash = "f" * 64
    forged.save(force_insert=True)
    problem = verify_log().problem
    assert problem is not None and problem.seq == 4


def test_two_reordered_rows_are_named(chain: list[AuditEvent]) -> None:
    _raw("UPDATE approvals_auditevent SET seq = -1 WHERE seq = 2")
    _raw("UPDATE approvals_auditevent SET seq = 2 WHERE seq = 3")
    _raw("UPDATE approvals_auditevent SET seq = 3 WHERE seq = -1")
    problem = verify_log().problem
    assert problem is not None and problem.seq == 2
    _fails("#2")


def test_rows_rehashed_with_a_guessed_key_are_named(chain: list[AuditEvent]) -> None:
    _raw("UPDATE approvals_auditevent SET after = %s WHERE seq = 3", ['{"n": 99}'])
    _rehash_from(3, keys=GUESSED, key_id=KEY_ID)
    _named(3, "altered")


def test_rows_rehashed_under_an_invented_key_id_are_named(chain: list[AuditEvent]) -> None:
    _rehash_from(2, keys=[("k9", b"x" * 32)], key_id="k9")
    problem = verify_log().problem
    assert problem is not None and problem.seq == 2 and "unknown key" in problem.reason


def test_whole_log_rehashed_as_legacy_plain_chain_is_caught_by_the_checkpoint(
    chain: list[AuditEvent],
) -> None:
    _raw("UPDATE approvals_auditevent SET after = %s WHERE seq = 3", ['{"n": 99}'])
    _rehash_from(1, keys=GUESSED, key_id="")
    assert verify_chain() is None  # a keyless chain is consistent in itself
    _caught_by_the_checkpoint("no longer matches")


def test_truncated_table_is_detected(chain: list[AuditEvent]) -> None:
    _truncate()
    _detected("log ends at 0")


def test_truncated_table_with_head_reset_is_caught_by_the_checkpoint(
    chain: list[AuditEvent],
) -> None:
    _truncate()
    _set_head(0, GENESIS)
    assert verify_chain() is None  # "intact: 0 events" before checkpoints existed
    _caught_by_the_checkpoint("recorded 5 events")


def test_altered_checkpoint_line_is_named(
    chain: list[AuditEvent], _checkpoints_in_tmp: Path
) -> None:
    path = _checkpoints_in_tmp / "checkpoints.jsonl"
    line = json.loads(path.read_text())
    line["last_seq"] = 3
    path.write_text(json.dumps(line) + "\n")
    _caught_by_the_checkpoint("signature")


def test_no_checkpoint_is_signed_over_a_tampered_log(chain: list[AuditEvent]) -> None:
    audit_record(actor=None, action="test.more", object_type="t", object_id=6)
    _raw("UPDATE approvals_auditevent SET comment = 'x' WHERE seq = 6")
    result = checkpoint_write()
    assert result.checkpoint is None and result.problem is not None
    with pytest.raises(CommandError, match="Không ghi"):
        call_command("audit_checkpoint")


def test_checkpoint_after_a_rewrite_of_checkpointed_rows_is_refused(
    chain: list[AuditEvent],
) -> None:
    _rehash_from(1, keys=GUESSED, key_id="")
    result = checkpoint_write()
    assert result.checkpoint is None and result.problem is not None
    assert "no longer matches" in result.problem.reason


def test_legacy_plain_prefix_then_keyed_events_verify() -> None:
    first = audit_record(actor=None, action="legacy", object_type="t", object_id=1)
    # As written before the chain was keyed: no key id, plain SHA-256.
    first.key_id = ""
    plain = event_hash(GENESIS, first)
    _raw(
        "UPDATE approvals_auditevent SET key_id = '', hash = %s WHERE seq = 1",
        [plain],
    )
    _set_head(1, plain)
    audit_record(actor=None, action="keyed", object_type="t", object_id=2)
    assert verify_log().intact
    # An unkeyed event after the cut-over is refused: nobody continues the chain without the key.
    third = audit_record(actor=None, action="keyed", object_type="t", object_id=3)
    third.key_id = ""
    second_hash = AuditEvent.objects.get(seq=2).hash
    _raw(
        "UPDATE approvals_auditevent SET key_id = '', hash = %s WHERE seq = 3",
        [event_hash(second_hash, third)],
    )
    _set_head(3, event_hash(second_hash, third))
    problem = verify_log().problem
    assert problem is not None and problem.seq == 3 and "cut-over" in problem.reason


def test_rotated_key_keeps_old_events_verifying(chain: list[AuditEvent]) -> None:
    with override_settings(AUDIT_KEYS=[("k2", b"n" * 32), (KEY_ID, b"x" * 32)]):
        assert verify_chain() is not None  # the old key is really needed
    old = [(KEY_ID, settings.AUDIT_KEYS[0][1])]
    with override_settings(AUDIT_KEYS=[("k2", b"n" * 32), *old]):
        event = audit_record(actor=None, action="after.rotation", object_type="t", object_id=6)
        assert event.key_id == "k2"
        assert verify_log().intact


def test_first_checkpoint_of_a_day_mails_the_previous_days_final(
    settings: Any, chain: list[AuditEvent]
) -> None:
    settings.AUDIT_CHECKPOINT_EMAIL = "thanhtra@example.org"
    tomorrow = timezone.localtime().replace(hour=9) + datetime.timedelta(days=1)
    result = checkpoint_write_and_mail(now=tomorrow)
    assert result.checkpoint is not None and result.emailed
    mail = OutboxMessage.objects.get(to_address="thanhtra@example.org")
    assert result.emailed in mail.subject and '"last_seq": 5' in mail.body_text
    checkpoint_write_and_mail(now=tomorrow + datetime.timedelta(hours=1))
    assert OutboxMessage.objects.filter(to_address="thanhtra@example.org").count() == 1


@pytest.mark.postgres
def test_database_refuses_truncate_of_the_audit_table(chain: list[AuditEvent]) -> None:
    """Even a role granted TRUNCATE (an owner's mistake) is refused by the trigger."""
    role = f"trunc_{uuid.uuid4().hex[:12]}"
    with as_owner():  # the owner makes the mistake (rolled back with the test)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {role} NOLOGIN")
            cursor.execute(f"GRANT TRUNCATE, SELECT ON approvals_auditevent TO {role}")
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"SET LOCAL ROLE {role}")
            cursor.execute("TRUNCATE approvals_auditevent")
    assert AuditEvent.objects.count() == 5
    assert AuditChainHead.objects.get().seq == 5


def test_events_appended_during_a_walk_are_not_taken_for_tampering(
    chain: list[AuditEvent],
) -> None:
    problem, end = walk_chain()
    audit_record(actor=None, action="test.meanwhile", object_type="t", object_id=6)
    problem, end = settle_head(problem, end)
    assert problem is None and end.seq == 6
    assert checkpoint_write().checkpoint is not None
