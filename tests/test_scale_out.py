"""Scale-out by configuration: two web processes and two workers share one database and one Redis.

Runs only under ``make test-services``. Two gunicorn processes serve the same request in turn
(submit on one, each approval on the other), and two Celery workers split the queues as in
production (mail and the default queue on one, documents and reports on the other). Nothing
is kept in a process: what one process wrote, the other reads, and the Director's documents are
rendered and the agencies' e-mails sent by the workers.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from approvals.models import Document, OutboxMessage
from config import celery_app
from config.auth import token_issue
from delegations.models import OutboundRequest
from tests.factories import UnitFactory
from tests.flows import draft
from tests.workers import stop, worker_env

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def call(port: int, token: str, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert answer.status == 200, (path, answer.status)
        return json.loads(answer.read())


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds:.0f} s: {what}")


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live/", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def test_a_request_goes_through_two_web_processes_and_two_workers(
    org, teacher_a, head_a, dept_reviewer, director, settings
):
    UnitFactory(code="CATP", name="Công an Thành phố", kind="agency", email="pa08@ca.test")
    UnitFactory(code="SNGV", name="Sở Ngoại vụ", kind="agency", email="songv@sngv.test")
    env = worker_env(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", LOG_LEVEL="WARNING"
    )
    celery_app.control.purge()
    webs = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in webs
    ] + [
        subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "worker", "-Q", queues, "-n", f"{name}@%h",
             "--pool=solo", "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for name, queues in (("mail", "mail,celery"), ("paper", "documents,reports"))
    ]  # fmt: skip
    try:
        wait_for(lambda: all(answers(port) for port in webs), 60, "both web processes answer")
        request = draft(teacher_a)
        tokens = {p: token_issue(p.user).key for p in (teacher_a, head_a, dept_reviewer, director)}
        call(webs[0], tokens[teacher_a], "POST", f"/api/v1/outbound/{request.pk}/submit/", {})
        for turn, approver in enumerate((head_a, dept_reviewer, director), start=1):
            port = webs[turn % 2]  # alternate: what one process wrote, the other reads
            dossier = call(port, tokens[approver], "GET", f"/api/v1/outbound/{request.pk}/")
            task = dossier["current_tasks"][0]["id"]
            call(port, tokens[approver], "POST", f"/api/v1/tasks/{task}/complete/",
                 {"action": "approve"})  # fmt: skip
        request.refresh_from_db()
        assert request.status == "approved"

        documents = Document.objects.filter(request_kind="outbound", request_id=request.pk)
        mail = OutboxMessage.objects.filter(notification__request_id=request.pk)
        wait_for(
            lambda: documents.exists() and not documents.exclude(render_state="ready").exists(),
            90,
            "the Director's documents rendered by the documents worker",
        )
        wait_for(
            lambda: mail.count() == 2 and not mail.exclude(status="sent").exists(),
            90,
            "both agency e-mails sent by the mail worker",
        )
        assert OutboundRequest.objects.get(pk=request.pk).status == "approved"
    finally:
        stop(processes)
