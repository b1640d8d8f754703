"""Real services for the tests marked ``services``: an SMTP sink, Celery workers pointed at the
test database, and stopping what a test started."""

from __future__ import annotations

import email
import os
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from email.policy import default as default_policy
from pathlib import Path

from django.conf import settings
from django.db import connection

from config import celery_app

ROOT = Path(__file__).resolve().parents[1]


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


@contextmanager
def running_sink() -> Iterator[SMTPSink]:
    """An SMTP sink serving on a free local port for the block."""
    sink = SMTPSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    try:
        yield sink
    finally:
        sink.shutdown()
        sink.server_close()


def database_url() -> str:
    """The test database as a ``DATABASE_URL`` for a subprocess."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**extra_env: str) -> dict[str, str]:
    """The environment of a web or worker subprocess on the test database and Redis, signing
    with the organisation's test certificate (agency e-mails carry signed PDFs)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        # The read replica, when the pass has one, is the test database too (not the server's).
        "DATABASE_REPLICA_URL": database_url() if "replica" in settings.DATABASES else "",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DOCUMENT_SIGNING_P12": settings.DOCUMENT_SIGNING_P12,
        "DOCUMENT_SIGNING_P12_PASSWORD": settings.DOCUMENT_SIGNING_P12_PASSWORD,
        "DOCUMENT_SIGNING_TRUST_ROOTS": ",".join(settings.DOCUMENT_SIGNING_TRUST_ROOTS),
        **extra_env,
    }


def start_worker(sink: SMTPSink, *options: str, **extra_env: str) -> subprocess.Popen[bytes]:
    """A Celery worker (all queues, one process: ``--pool=solo``, unless ``options`` say
    otherwise) sending mail to ``sink``; its output is kept for errors."""
    env = worker_env(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.server_address[1]),
        EMAIL_USE_TLS="false",
        DEBUG="true",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        **extra_env,
    )
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(
        [str(celery), "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat", *options],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """Stop the processes (killed after 20 s) and drop what they left queued in Redis."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    celery_app.control.purge()
