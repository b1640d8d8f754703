"""The operations view: administrators see what the background left undone, and retry it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from viewflow.workflow.status import STATUS

from approvals.heartbeat import heartbeat_mark
from approvals.models import AuditEvent, Document, MessageStatus, OutboxMessage
from approvals.models.documents import RenderState
from approvals.orphan_files import sweep_orphan_files
from config import celery_app
from org.models import Role
from tests.approvals.record_helpers import approved, make_agencies
from tests.conftest import login
from tests.factories import make_staff
from tests.flows import open_task, submitted

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(minutes=10)


@pytest.fixture
def admin(org: Any) -> Any:
    """An administrator, with the staff status the admin site needs."""
    person = make_staff("quantri", org.department, Role.ADMIN, position="Quản trị")
    person.user.is_staff = True
    person.user.save(update_fields=["is_staff"])
    return person


@pytest.fixture
def left_undone(org, teacher_a, head_a, dept_reviewer, director) -> Any:
    """An approved trip whose e-mails and renders never ran (worker down for ten minutes)."""
    make_agencies()
    request = approved(teacher_a, head_a, dept_reviewer, director)
    Document.objects.update(render_next_at=timezone.now() - LONG_AGO)
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - LONG_AGO)
    return request


def _page(person: Any) -> str:
    response = login(person).get("/van-hanh/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "persona", ["teacher_a", "head_a", "dept_reviewer", "director", "auditor", "ward_chair"]
)
def test_only_administrators_may_open_it_or_retry(request, left_undone, persona):
    person = request.getfixturevalue(persona)
    client = login(person)
    message = OutboxMessage.objects.first()
    document = Document.objects.first()
    OutboxMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
    Document.objects.filter(pk=document.pk).update(render_state=RenderState.FAILED)
    assert client.get("/van-hanh/").status_code == 404
    assert client.post(f"/van-hanh/thu/{message.pk}/gui-lai/").status_code == 404
    assert client.post(f"/van-hanh/van-ban/{document.pk}/tao-lai/").status_code == 404
    assert OutboxMessage.objects.get(pk=message.pk).status == MessageStatus.FAILED
    assert Document.objects.get(pk=document.pk).render_state == RenderState.FAILED


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/van-hanh/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_lists_mail_and_documents_left_undone_with_their_cause(admin, left_undone):
    html = _page(admin)
    mails = OutboxMessage.objects.count()
    documents = Document.objects.count()
    assert mails and documents
    assert f"Thư chưa gửi được ({mails})" in html
    assert f"Văn bản chưa có tệp ({documents})" in html
    assert "Chưa được gửi đi (hàng đợi hoặc worker ngừng)." in html
    assert "operations-clean" not in html


def test_a_failed_mail_is_sent_again_and_audited(admin, left_undone):
    message = OutboxMessage.objects.first()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED, attempts=6, last_error="SMTP 550 mailbox unavailable"
    )
    html = _page(admin)
    assert "SMTP 550 mailbox unavailable" in html
    assert f'action="/van-hanh/thu/{message.pk}/gui-lai/"' in html

    response = login(admin).post(f"/van-hanh/thu/{message.pk}/gui-lai/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)
    assert AuditEvent.objects.filter(actor=admin.user, action__endswith="retried").exists()


def test_a_failed_render_is_started_over_and_audited(admin, left_undone):
    document = Document.objects.first()
    Document.objects.filter(pk=document.pk).update(
        render_state=RenderState.FAILED, render_attempts=5, render_error="OSError: disk full"
    )
    assert "OSError: disk full" in _page(admin)
    response = login(admin).post(f"/van-hanh/van-ban/{document.pk}/tao-lai/")
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.render_state, document.render_attempts) == (RenderState.PENDING, 0)
    event = AuditEvent.objects.get(action="document.render_retried")
    assert event.actor == admin.user and event.comment == "OSError: disk full"


def test_retrying_what_did_not_fail_is_a_conflict(admin, left_undone):
    document = Document.objects.first()
    message = OutboxMessage.objects.first()
    client = login(admin)
    assert client.post(f"/van-hanh/van-ban/{document.pk}/tao-lai/").status_code == 409
    assert client.post(f"/van-hanh/thu/{message.pk}/gui-lai/").status_code == 409
    assert client.get(f"/van-hanh/thu/{message.pk}/gui-lai/").status_code == 405
    assert not AuditEvent.objects.filter(action__endswith="retried").exists()


def test_a_task_held_by_a_disabled_account_is_listed(admin, teacher_a, head_a):
    request = submitted(teacher_a)
    task = open_task(request)
    type(task).objects.filter(pk=task.pk).update(owner=head_a.user, status=STATUS.ASSIGNED)
    head_a.user.is_active = False
    head_a.user.save(update_fields=["is_active"])
    html = _page(admin)
    assert f'data-task="{task.pk}"' in html
    assert "Người đang giữ việc đã bị khóa tài khoản." in html


def test_worker_and_beat_without_a_sign_of_life_are_flagged(admin, fresh_cache):
    conf = celery_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = False
    try:
        html = _page(admin)
        assert 'data-part="worker" data-alive="no"' in html
        assert "Chưa từng có tín hiệu." in html
        heartbeat_mark("worker")
        heartbeat_mark("beat")
        html = _page(admin)
        assert 'data-alive="no"' not in html
        assert "Không có việc nào bị tồn đọng." in html
    finally:
        conf.task_always_eager = saved


def test_nothing_undone_reads_clean(admin):
    html = _page(admin)
    assert "Không có việc nào bị tồn đọng." in html
    assert "Các tác vụ nền chạy ngay trong tiến trình web" in html


def test_the_menu_shows_it_to_administrators_only(admin, teacher_a, auditor):
    assert 'href="/van-hanh/"' in login(admin).get("/").content.decode()
    admin.user.is_staff = False  # the page still opens by its address
    admin.user.save(update_fields=["is_staff"])
    assert login(admin).get("/van-hanh/").status_code == 200
    assert 'href="/van-hanh/"' not in login(teacher_a).get("/").content.decode()
    assert 'href="/van-hanh/"' not in login(auditor).get("/").content.decode()


def test_without_a_replica_no_replica_is_shown(admin, settings):
    if "replica" in settings.DATABASES:
        pytest.skip("a replica is configured in this pass")
    assert 'id="replica"' not in _page(admin)


@pytest.mark.postgres
@pytest.mark.django_db(databases=["default", "replica"])
def test_the_replica_s_lag_is_shown_and_one_too_far_behind_is_flagged(admin, settings):
    """The PostgreSQL pass reads the test database as its replica: no standby, lag 0."""
    settings.DATABASE_REPLICA_READS = True
    html = _page(admin)
    assert 'data-replica-usable="yes"' in html
    assert "Chậm 0 giây so với máy chủ chính (giới hạn 30 giây)." in html
    assert "Không có việc nào bị tồn đọng." in html

    settings.REPLICA_MAX_LAG_SECONDS = -1
    html = _page(admin)
    assert 'data-replica-usable="no"' in html
    assert "Danh sách, trích xuất và báo cáo đang đọc máy chủ chính." in html
    assert "Không có việc nào bị tồn đọng." not in html


def test_the_files_set_aside_are_listed_by_day_with_when_they_go(admin, settings):
    """After a database restore an administrator sees at once what the sweep set aside."""
    assert "Tệp đang cách ly" in _page(admin) and "data-quarantine-day" not in _page(admin)
    orphan = default_storage.save("attachments/2026/01/left", ContentFile(b"x"))
    now = timezone.now() + datetime.timedelta(days=2)
    assert sweep_orphan_files(now=now).quarantined == [orphan]
    day = timezone.localdate(now)
    html = _page(admin)
    assert f'data-quarantine-day="{day:%Y-%m-%d}"' in html
    purge = day + datetime.timedelta(days=settings.ORPHAN_FILE_RETENTION_DAYS)
    assert f"<td>{day:%d/%m/%Y}</td><td>1</td><td>{purge:%d/%m/%Y}</td>" in html
