"""The auditor's screen of the audit log (``/nhat-ky/``) and its API (``/api/v1/audit/``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from approvals.audit import audit_record, checkpoint_write
from approvals.models import AuditEvent
from approvals.record import audit_log
from org.models import Person, Role
from tests.conftest import Org, login
from tests.db_roles import as_owner
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _checkpoints_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"


@pytest.fixture
def admin(org: Org) -> Person:
    return make_staff("quantri", org.department, Role.ADMIN, position="Quản trị")


@pytest.fixture
def events(admin: Person, head_a: Person) -> None:
    for i in range(3):
        audit_record(actor=head_a.user, action="outbound.submitted", object_type="outbound",
                     object_id=i + 1)  # fmt: skip
    audit_record(actor=admin.user, action="org.unit_changed", object_type="org.unit", object_id=7)


def _raw_update(sql: str) -> None:
    """As a superuser would: on PostgreSQL, past the append-only trigger."""
    with as_owner(), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql)


def test_head_of_school_gets_404_for_the_log_and_its_api(events: None, head_b: Person) -> None:
    client = login(head_b)
    assert client.get("/nhat-ky/").status_code == 404
    assert client.get("/api/v1/audit/").status_code == 404
    assert client.get("/api/v1/audit/verification/").status_code == 404
    assert client.post("/nhat-ky/kiem-tra/").status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(events: None) -> None:
    assert Client().get("/nhat-ky/").status_code == 302
    assert Client().get("/api/v1/audit/").status_code == 401


def test_auditor_reads_the_whole_log_with_its_status(events: None, auditor: Person) -> None:
    checkpoint_write()
    page = login(auditor).get("/nhat-ky/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nhật ký hệ thống" in html and "kiểm toán" not in html
    assert "org.unit_changed" in html and "outbound.submitted" in html
    assert "Chưa kiểm tra" in html and "(#4)" in html  # last checkpoint covers event #4
    assert 'id="verify-now"' in html


def test_administrator_sees_only_their_own_actions(
    events: None, admin: Person, auditor: Person
) -> None:
    html = login(admin).get("/nhat-ky/").content.decode()
    assert "org.unit_changed" in html and "outbound.submitted" not in html
    assert 'id="verify-now"' not in html
    api = login(admin).get("/api/v1/audit/").json()["results"]
    assert {e["action"] for e in api} == {"org.unit_changed"}
    body = b"".join(login(admin).get("/api/v1/exports/audit.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert {r[5] for r in rows[1:]} == {"org.unit_changed", "export.downloaded"}
    # The auditor's export has everyone's (and the admin's own export event).
    body = b"".join(login(auditor).get("/api/v1/exports/audit.csv").streaming_content)
    actions = {r[5] for r in csv.reader(io.StringIO(body.decode("utf-8-sig")))}
    assert {"outbound.submitted", "org.unit_changed", "export.downloaded"} <= actions


def test_filters_by_actor_action_object_and_dates(events: None, auditor: Person) -> None:
    client = login(auditor)
    html = client.get("/nhat-ky/?actor=quantri").content.decode()
    assert "org.unit_changed" in html and "outbound.submitted" not in html
    html = client.get("/nhat-ky/?action=outbound.").content.decode()
    assert "outbound.submitted" in html and "org.unit_changed" not in html
    results = client.get("/api/v1/audit/?object=outbound:2").json()["results"]
    assert [(e["object_type"], e["object_id"]) for e in results] == [("outbound", "2")]
    assert client.get("/api/v1/audit/?from=2000-01-01&to=2000-01-02").json()["results"] == []
    bad = client.get("/api/v1/audit/?from=yesterday")
    assert bad.status_code == 400 and "from" in bad.json()["errors"]
    assert "Ngày không hợp lệ" in client.get("/nhat-ky/?from=hôm-qua").content.decode()


def test_pages_are_keyset_pages_newest_first(
    events: None, auditor: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_log, "PAGE_SIZE", 3)
    client = login(auditor)
    first = client.get("/nhat-ky/")
    assert [e.seq for e in first.context["events"]] == [4, 3, 2]
    assert first.context["next_query"] == "before=2"
    second = client.get("/nhat-ky/?before=2")
    assert [e.seq for e in second.context["events"]] == [1]
    assert second.context["next_query"] == ""


def test_page_queries_do_not_grow_with_the_log(
    events: None, auditor: Person, django_assert_max_num_queries: Any
) -> None:
    client = login(auditor)
    client.get("/nhat-ky/")
    for i in range(30):
        audit_record(actor=None, action="bulk", object_type="t", object_id=i)
    with django_assert_max_num_queries(12):
        client.get("/nhat-ky/")


def test_verify_now_runs_and_shows_its_result(
    events: None, auditor: Person, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/nhat-ky/kiem-tra/")
    assert response.status_code == 302 and "?job=" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert 'data-verification="intact"' in html
    assert AuditEvent.objects.filter(action="audit.verification_requested").count() == 1
    status = client.get("/api/v1/audit/verification/").json()
    assert status["last"]["intact"] is True and status["last"]["events"] == 5


def test_verify_now_reports_a_rewritten_event(
    events: None, auditor: Person, django_capture_on_commit_callbacks: Any
) -> None:
    _raw_update("UPDATE approvals_auditevent SET comment = 'sửa lén' WHERE seq = 2")
    client = login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        job = client.post("/api/v1/audit/verification/")
    assert job.status_code == 202
    state = client.get(f"/api/v1/audit/verification/?job={job.json()['job']}").json()["job"]
    assert state["state"] == "done" and state["intact"] is False
    assert state["problem"]["seq"] == 2
    html = client.get("/nhat-ky/").content.decode()
    assert "Bị thay đổi" in html
