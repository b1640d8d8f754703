"""Lists, exports and reports read from the read replica; everything else from the primary.

``config.db.replica``: with ``DATABASE_REPLICA_URL`` the settings add the alias ``replica``, and
the code that only reads and can live with the replica's lag (request lists, exports, the
annual report) runs its queries in ``replica_reads()``. Every write, every row lock and every
other read (a decision, the request page, the inbox) goes to the primary. The PostgreSQL pass
(``make test-services``) configures the test database itself as the replica, seen through a
second connection, so that which connection ran a query shows where it was sent.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from config.db import replica as replica_module
from config.db.replica import REPLICA, ReplicaRouter, replica_reads
from delegations.models import OutboundRequest
from tests.api_helpers import post
from tests.conftest import login
from tests.flows import draft, open_task, submit
from workflow.services import task_complete

ROUTER = ReplicaRouter()
#: What the replica is sent: reads, and the lag measure's transaction with its time limit.
READS = ("SELECT", "BEGIN", "COMMIT", "SET LOCAL statement_timeout")


def test_writes_and_migrations_go_to_the_primary_whatever_was_read_where():
    assert ROUTER.db_for_write(OutboundRequest) == "default"
    assert ROUTER.db_for_write(OutboundRequest, instance=OutboundRequest()) == "default"
    assert ROUTER.allow_migrate("default", "delegations") is True
    assert ROUTER.allow_migrate(REPLICA, "delegations") is False


def test_outside_a_replica_block_reads_are_not_routed(settings):
    settings.DATABASE_REPLICA_READS = True
    assert ROUTER.db_for_read(OutboundRequest) is None


@pytest.mark.django_db
def test_without_a_replica_a_replica_block_reads_the_primary(org, teacher_a, settings):
    settings.DATABASE_REPLICA_READS = True
    if REPLICA in settings.DATABASES:
        pytest.skip("a replica is configured in this pass")
    request = draft(teacher_a)
    with replica_reads():
        assert ROUTER.db_for_read(OutboundRequest) is None
        assert OutboundRequest.objects.get(pk=request.pk)._state.db == "default"


def _tables(ctx: CaptureQueriesContext, table: str, verb: str = "SELECT") -> list[str]:
    return [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith(verb) and table in q["sql"]
    ]


def _on_both() -> tuple[CaptureQueriesContext, CaptureQueriesContext]:
    return CaptureQueriesContext(connections["default"]), CaptureQueriesContext(
        connections[REPLICA]
    )


def replica_test(func: Any) -> Any:
    """A test that reads the replica: on PostgreSQL, transactional (the replica's connection
    sees only what was committed)."""
    db = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
    return pytest.mark.replica(pytest.mark.postgres(db(func)))


@pytest.fixture
def submitted(org: Any, teacher_a: Any) -> OutboundRequest:
    """A trip the teacher submitted, waiting for the head's decision."""
    request = draft(teacher_a)
    submit(request, teacher_a)
    return request


@replica_test
def test_the_request_list_page_and_api_read_the_replica(submitted, head_a):
    request = submitted
    client = login(head_a)
    primary, replica = _on_both()
    with primary, replica:
        page = client.get("/doan-ra/")
        api = client.get("/api/v1/outbound/")
    assert page.status_code == 200 and request.reference in page.content.decode()
    assert api.status_code == 200 and api.json()["results"][0]["id"] == request.pk
    assert _tables(replica, '"delegations_outboundrequest"')
    assert not _tables(primary, '"delegations_outboundrequest"')


@replica_test
def test_an_export_and_the_annual_report_read_the_replica_and_audit_on_the_primary(
    submitted, auditor
):
    request = submitted
    client = login(auditor)
    primary, replica = _on_both()
    with primary, replica:
        response = client.get("/api/v1/exports/outbound.csv")
        body = b"".join(response.streaming_content).decode()
        report = client.get("/api/v1/reports/annual/")
    assert response.status_code == 200 and request.reference in body
    assert report.status_code == 200
    assert _tables(replica, '"delegations_outboundrequest"')
    assert not _tables(primary, '"delegations_outboundrequest"')
    # The export is itself an audit event: written on the primary, none on the replica.
    assert _tables(primary, '"approvals_auditevent"', "INSERT")
    assert not [q for q in replica.captured_queries if not q["sql"].startswith(READS)]


@replica_test
def test_a_decision_reads_and_writes_the_primary_only(submitted, head_a):
    request = submitted
    task = open_task(request, "review_by_unit_head")
    primary, replica = _on_both()
    with primary, replica:
        response = post(login(head_a), f"/api/v1/tasks/{task.pk}/complete/", {"action": "approve"})
    assert response.status_code == 200, response.content.decode()[:500]
    assert replica.captured_queries == []
    assert _tables(primary, '"approvals_decision"', "INSERT")


@replica_test
def test_a_row_read_from_the_replica_is_saved_to_the_primary(org, teacher_a):
    request = draft(teacher_a)
    with replica_reads():
        read = OutboundRequest.objects.get(pk=request.pk)
    assert read._state.db == REPLICA
    read.purpose = "Đổi nội dung sau khi đọc từ bản sao"
    primary, replica = _on_both()
    with primary, replica:
        read.save(update_fields=["purpose"])
    assert _tables(primary, '"delegations_outboundrequest"', "UPDATE")
    assert replica.captured_queries == []
    assert OutboundRequest.objects.get(pk=request.pk).purpose.startswith("Đổi nội dung")


@replica_test
def test_a_task_completed_after_a_list_still_locks_on_the_primary(submitted, head_a):
    """A person opens the list (replica), then decides (primary): the decision sees the row."""
    request = submitted
    client = login(head_a)
    assert client.get("/api/v1/outbound/").status_code == 200
    task = open_task(request, "review_by_unit_head")
    assert head_a.user is not None
    task_complete(task_id=task.pk, user=head_a.user, action="approve")
    request.refresh_from_db()
    assert open_task(request, "review_by_department") is not None


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@replica_test
def test_an_unreachable_replica_leaves_the_lists_to_the_primary_for_a_while(
    submitted, head_a, caplog, monkeypatch
):
    request = submitted
    client = login(head_a)
    standby = connections[REPLICA]
    standby.close()
    monkeypatch.setitem(standby.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(standby.settings_dict, "PORT", _closed_port())
    monkeypatch.setattr(replica_module, "_down_until", 0.0)
    primary = CaptureQueriesContext(connections["default"])
    with primary, caplog.at_level(logging.WARNING, logger="config.db.replica"):
        first = client.get("/api/v1/outbound/")
        second = client.get("/doan-ra/")
    assert first.status_code == 200 and first.json()["results"][0]["id"] == request.pk
    assert second.status_code == 200 and request.reference in second.content.decode()
    assert len(_tables(primary, '"delegations_outboundrequest"')) >= 2
    # Tried once, then left alone: one warning for both pages.
    assert caplog.text.count("Read replica unreachable") == 1
    standby.close()


@replica_test
def test_a_replica_lost_between_requests_is_found_before_the_list_reads_it(
    submitted, head_a, caplog, monkeypatch
):
    """The standby's connection, kept from the last request, died meanwhile; the next list is
    answered from the primary rather than failing on the dead connection."""
    client = login(head_a)
    assert client.get("/api/v1/outbound/").status_code == 200
    standby = connections[REPLICA]
    assert standby.connection is not None  # kept for the next request (CONN_MAX_AGE)
    standby.connection.close()  # the standby went away: the socket under Django is dead
    monkeypatch.setitem(standby.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(standby.settings_dict, "PORT", _closed_port())
    monkeypatch.setattr(replica_module, "_down_until", 0.0)
    standby.health_check_done = False  # a new request, as Django marks it when one starts
    with caplog.at_level(logging.WARNING, logger="config.db.replica"):
        response = client.get("/api/v1/outbound/")
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == submitted.pk
    assert "Read replica unreachable" in caplog.text
    standby.close()


@replica_test
def test_a_replica_too_far_behind_leaves_the_lists_to_the_primary_until_it_catches_up(
    submitted, auditor, settings, caplog, monkeypatch
):
    """An export read from a standby whose replication stopped would miss the last minutes of
    the record without a word: past ``REPLICA_MAX_LAG_SECONDS`` the primary answers instead."""
    client = login(auditor)
    monkeypatch.setattr(replica_module, "_lag_checked_at", float("-inf"))
    monkeypatch.setattr(replica_module, "_behind", False)
    # The test database is no standby: its lag is 0, "too far" for a limit below it.
    assert replica_module.replica_lag_seconds() == 0
    settings.REPLICA_MAX_LAG_SECONDS = -1
    primary, replica = _on_both()
    with primary, replica, caplog.at_level(logging.INFO, logger="config.db.replica"):
        audit = client.get("/api/v1/audit/")
        export = client.get("/api/v1/exports/outbound.csv")
        body = b"".join(export.streaming_content).decode()
    assert audit.status_code == 200 and export.status_code == 200
    assert submitted.reference in body
    assert _tables(primary, '"approvals_auditevent"')
    assert _tables(primary, '"delegations_outboundrequest"')
    assert not _tables(replica, '"delegations_outboundrequest"')
    # Measured once for both (every 5 s at most), said once.
    assert len([q for q in replica.captured_queries if "pg_is_in_recovery" in q["sql"]]) == 1
    assert caplog.text.count("Read replica 0 s behind the primary (limit -1 s)") == 1

    settings.REPLICA_MAX_LAG_SECONDS = 30
    monkeypatch.setattr(replica_module, "_lag_checked_at", float("-inf"))  # 5 s later
    primary, replica = _on_both()
    with primary, replica, caplog.at_level(logging.INFO, logger="config.db.replica"):
        assert client.get("/api/v1/outbound/").status_code == 200
    assert _tables(replica, '"delegations_outboundrequest"')
    assert "Read replica caught up" in caplog.text


@replica_test
def test_a_replica_that_does_not_answer_the_lag_measure_is_left_alone(
    submitted, auditor, settings, monkeypatch
):
    """A standby that accepts connections and then hangs: the measure is cut off after
    ``REPLICA_LAG_TIMEOUT_MS`` and the lists read the primary, instead of waiting on it."""
    monkeypatch.setattr(replica_module, "_lag_checked_at", float("-inf"))
    monkeypatch.setattr(replica_module, "_behind", False)
    monkeypatch.setattr(replica_module, "_down_until", 0.0)
    # A measure that would take two seconds and then say "caught up".
    monkeypatch.setattr(replica_module, "LAG_SQL", "SELECT 0 FROM pg_sleep(2)")
    settings.REPLICA_LAG_TIMEOUT_MS = 50
    primary, replica = _on_both()
    with primary, replica:
        response = login(auditor).get("/api/v1/outbound/")
    assert response.status_code == 200
    assert _tables(primary, '"delegations_outboundrequest"')
    assert not _tables(replica, '"delegations_outboundrequest"')
    assert replica_module._down_until > 0  # left alone for REPLICA_RETRY_SECONDS
    # The limit was the measure's own: the replica's next reads have none.
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


#: The other lists, each with the table of its rows: (who, path, table).
OTHER_LISTS = (
    ("head_a", "/danh-ba/", '"org_unit"'),
    ("head_a", "/api/v1/units/", '"org_unit"'),
    ("head_a", "/api/v1/people/", '"org_person"'),
    ("auditor", "/nhat-ky/", '"approvals_auditevent"'),
    ("auditor", "/api/v1/audit/", '"approvals_auditevent"'),
    ("auditor", "/dang-o-nuoc-ngoai/", '"delegations_outboundmember"'),
    ("auditor", "/api/v1/abroad-now/", '"delegations_outboundmember"'),
    ("head_a", "/doan-vao/lich/", '"delegations_inboundvisit"'),
    ("head_a", "/doan-vao/lich/?view=month", '"delegations_inboundvisit"'),
)


@replica_test
def test_the_directory_audit_log_abroad_and_calendar_lists_read_the_replica(
    submitted, head_a, auditor
):
    clients = {"head_a": login(head_a), "auditor": login(auditor)}
    for who, path, table in OTHER_LISTS:
        primary, replica = _on_both()
        with primary, replica:
            response = clients[who].get(path)
        assert response.status_code == 200, path
        assert _tables(replica, table), path
        assert not _tables(primary, table), path
        # Reads only (the lag measure's own transaction and time limit aside).
        assert not [q for q in replica.captured_queries if not q["sql"].startswith(READS)]


@replica_test
def test_a_lag_measure_inside_a_replica_transaction_puts_no_limit_on_it(settings):
    """Inside a transaction someone opened on the replica (a report reading several tables at
    one snapshot), the measure runs without ``SET LOCAL statement_timeout``: the limit would
    stay on that transaction and cut its own long reads."""
    settings.REPLICA_LAG_TIMEOUT_MS = 50
    with transaction.atomic(using=REPLICA), connections[REPLICA].cursor() as cursor:
        assert replica_module.replica_lag_seconds() == 0.0  # the test database: no standby
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SELECT 1 FROM pg_sleep(0.2)")  # longer than the measure's limit
        assert cursor.fetchone()[0] == 1
