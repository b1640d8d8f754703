"""A database migrated before the squash (issue #10) upgrades without a step.

Each app's migrations were squashed into one and deleted. A database migrated by an earlier
release records the old names in ``django_migrations``; ``OLD_HISTORY`` is that record, as every
such database holds it. Rewriting the test database's record to it, Django's loader must take
each squash as applied and ``migrate`` must find nothing to do; with a record that stops short,
``migrate`` must refuse (``workflow.E004``) instead of leaving the app out.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from workflow.checks import migration_history_fits_the_squashes

pytestmark = pytest.mark.django_db

OLD_HISTORY = {
    "org": [
        "0001_initial",
        "0002_person_gender",
        "0003_jurisdiction",
        "0004_jurisdiction_legal_basis",
    ],
    "delegations": [
        "0001_initial",
        "0002_outboundrequest_outboundmember_outboundstop_and_more",
        "0003_inboundvisit_visitor",
        "0004_references",
        "0005_member_confirmation",
        "0006_agreement_register",
        "0007_reporting_rounds",
        "0008_outbound_text_limits",
        "0009_request_list_indexes",
    ],
    "approvals": [
        "0001_initial",
        "0002_audit_append_only",
        "0003_rulestamp_agencynotification_decision_justification",
        "0004_outbox_notices",
        "0005_documents_registers",
        "0006_document_render_state",
        "0007_audit_key",
        "0008_audit_truncate_trigger",
        "0009_chain_fingerprint",
        "0010_documents_changes_and_numbering",
        "0011_dispatch_signatures",
        "0012_rule_stamp_reuse",
    ],
    "workflow": ["0001_initial", "0002_inbox_entry", "0003_inbox_reference"],
}


def record_only(history: dict[str, list[str]]) -> None:
    """The apps' rows in ``django_migrations`` become ``history`` (undone with the test)."""
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app__in=OLD_HISTORY).delete()
    for app, names in history.items():
        for name in names:
            recorder.record_applied(app, name)


def squashes(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return sorted(
        key
        for key, migration in executor.loader.disk_migrations.items()
        if key[0] in OLD_HISTORY and migration.replaces
    )


def test_a_database_migrated_before_the_squash_has_nothing_to_apply() -> None:
    record_only(OLD_HISTORY)
    executor = MigrationExecutor(connection)
    squashed = squashes(executor)
    assert sorted({app for app, _ in squashed}) == sorted(OLD_HISTORY)
    assert set(squashed) <= set(executor.loader.applied_migrations)
    assert executor.migration_plan(squashed) == []
    executor.loader.check_consistent_history(connection)

    for app, name in squashed:  # migrate with its system checks, as an upgrade runs it
        out = StringIO()
        call_command("migrate", app, name, skip_checks=False, stdout=out)
        assert "No migrations to apply." in out.getvalue()
    shown = StringIO()
    call_command("showmigrations", *OLD_HISTORY, stdout=shown)
    assert all(f"[X] {name}" in shown.getvalue() for _, name in squashed)


def test_a_database_that_stopped_before_the_last_old_migration_is_refused() -> None:
    record_only(OLD_HISTORY | {"approvals": OLD_HISTORY["approvals"][:-1]})
    errors = migration_history_fits_the_squashes(databases=["default"])
    assert [(e.id, "0012_rule_stamp_reuse" in e.hint) for e in errors] == [("workflow.E004", True)]
    with pytest.raises(SystemCheckError, match=r"workflow\.E004"):
        call_command("migrate", skip_checks=False, stdout=StringIO())


def test_a_fresh_or_current_database_passes_the_check() -> None:
    assert migration_history_fits_the_squashes(databases=["default"]) == []
    record_only({})
    assert migration_history_fits_the_squashes(databases=["default"]) == []
