"""End to end on PostgreSQL, Redis and a real Celery worker: agency e-mails reach an SMTP server.

Runs only under ``make test-services``. The test starts a tiny SMTP sink of its own and a
``celery worker`` subprocess pointed at it, approves a request while the worker is still down,
and checks that both agencies' e-mails arrive once the worker runs, each with its row's
Message-ID.
"""

from __future__ import annotations

import email
import os
import socketserver
import subprocess
import sys
import threading
import time
from email.policy import default as default_policy
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from approvals.models import AgencyNotification, OutboxMessage
from config import celery_app
from tests.flows import approve_all, submitted

ROOT = Path(__file__).resolve().parents[2]


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: EHLO, MAIL, RCPT, DATA, QUIT (no auth, no TLS)."""

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._reply("220 sink ESMTP")
        envelope: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self._reply("250-sink")
                self._reply("250 8BITMIME")
            elif verb in ("MAIL", "RSET"):
                envelope.clear()
                self._reply("250 OK")
            elif verb in ("HELO", "NOOP"):
                self._reply("250 OK")
            elif verb == "RCPT":
                envelope.append(command.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.received.append(  # type: ignore[attr-defined]
                    (list(envelope), email.message_from_bytes(bytes(data), policy=default_policy))
                )
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")


class SMTPSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []


@pytest.fixture
def smtp_sink():
    sink = SMTPSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(sink: SMTPSink, **extra_env: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.server_address[1]),
        "EMAIL_USE_TLS": "false",
        "DEBUG": "true",
        # The worker signs the documents with the organisation's test certificate.
        "DOCUMENT_SIGNING_P12": settings.DOCUMENT_SIGNING_P12,
        "DOCUMENT_SIGNING_P12_PASSWORD": settings.DOCUMENT_SIGNING_P12_PASSWORD,
        "DOCUMENT_SIGNING_TRUST_ROOTS": ",".join(settings.DOCUMENT_SIGNING_TRUST_ROOTS),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra_env,
    }
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(
        [str(celery), "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_approvals_agency_emails_reach_smtp_through_a_real_worker(
    org, agencies, teacher_a, head_a, dept_reviewer, director, smtp_sink
):
    conf = celery_app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False  # publish to Redis: only the worker sends
    celery_app.control.purge()
    worker = None
    try:
        request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
        approved_at = time.monotonic()
        rows = OutboxMessage.objects.filter(notification__request_id=request.pk)
        assert sorted(rows.values_list("status", flat=True)) == ["pending", "pending"]

        worker = _start_worker(smtp_sink)
        wanted = {"pa08@ca.test", "songv@sngv.test"}
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            got = {to for recipients, _m in smtp_sink.received for to in recipients}
            if wanted <= got and not rows.exclude(status="sent").exists():
                break
            assert worker.poll() is None, worker.stdout.read().decode() if worker.stdout else ""
            time.sleep(0.2)
        lag = time.monotonic() - approved_at
        agency_mail = [
            (recipients, message)
            for recipients, message in smtp_sink.received
            if set(recipients) & wanted
        ]
        assert sorted(r for recipients, _m in agency_mail for r in recipients) == sorted(wanted)
        ids = {message["Message-ID"] for _r, message in agency_mail}
        assert ids == set(rows.values_list("message_id", flat=True))
        body = agency_mail[0][1].get_body(preferencelist=("plain",)).get_content()
        assert request.reference in body
        assert "/xac-nhan/" in body
        assert set(rows.values_list("status", flat=True)) == {"sent"}
        assert set(
            AgencyNotification.objects.filter(request_id=request.pk).values_list(
                "status", flat=True
            )
        ) == {"delivered"}
        print(f"approval → agency mail in the SMTP sink (worker started after): {lag:.1f} s")
    finally:
        conf.task_always_eager = eager
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        celery_app.control.purge()
