"""``make load``: full HTTP approval steps against gunicorn, PostgreSQL and a real Celery worker.

1. A fresh load database (``doanravao_load`` on the server of ``DATABASE_URL``): migrated, then
   seeded with real submitted requests (``tests/load/seed.py``) on the DEPT route.
2. gunicorn (``LOAD_WEB_WORKERS``, default 4), Celery workers per queue group as
   ``docs/production.md`` runs them (mail; documents; default and reports) and beat, with
   production settings (DEBUG off), e-mail to Django's dummy backend.
3. pgbench TPC-B on the same server for 10 s: the machine's own yardstick, measured in this run.
4. Locust, headless, at a fixed arrival rate (``LOAD_RATE`` steps/s, default 60) for a bounded
   time (``LOAD_SECONDS``, default 60): each step reads the dossier and posts the decision
   (``tests/load/locustfile.py``); head, department review and the Director's decision.
5. The agencies' e-mails of the Director's approvals are left to the worker (documents rendered
   and signed with a throwaway organisation certificate, then sent) for up to
   ``LOAD_DRAIN_SECONDS`` (default 120) after the last step; their lag is the time from the
   approval (the row's ``created_at``) to ``sent_at`` (QUALITY.md P5).
6. A table of steps/s, p50/p95, errors, steps/s ÷ pgbench TPS and the mail lag; exit status 1
   when a target is missed: P1, ≥ 60 steps/s at p95 ≤ 300 ms with 0 errors, or, where pgbench
   gives fewer than 1,500 TPS, steps/s ÷ TPS ≥ 0.04 (with p95 ≤ 300 ms and 0 errors); P5, the
   agency mail lag p95 ≤ 5 s with every agency e-mail sent. ``LOAD_RATE=3 LOAD_SECONDS=40``
   is the P5 burst: 1.5 approvals/s (a request has two steps left on average, one of them the
   Director's: half the steps are approvals).

Needs PostgreSQL and Redis (``DATABASE_URL``, ``REDIS_URL``); installs Locust (``.[load]``).
"""

from __future__ import annotations

import csv
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from base64 import b64encode
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from org.demo_signing import write_demo_certificate
from tests.bench.report import Table, pgbench_tps
from tests.load.names import STEP_NAME
from tests.load.profile import profiled, summary

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROFILE = os.environ.get("LOAD_PROFILE", "") not in ("", "0", "false")
RATE = float(os.environ.get("LOAD_RATE", "60"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
USERS = int(os.environ.get("LOAD_USERS", "30"))
WEB_WORKERS = int(os.environ.get("LOAD_WEB_WORKERS", "4"))
SCHOOLS = int(os.environ.get("LOAD_SCHOOLS", "20"))
PORT = int(os.environ.get("LOAD_PORT", "8765"))
DRAIN_SECONDS = int(os.environ.get("LOAD_DRAIN_SECONDS", "120"))
STEPS_TARGET, P95_TARGET_MS, RATIO_TARGET, TPS_FLOOR = 60.0, 300.0, 0.04, 1500.0
LAG_TARGET_S = 5.0
#: The agencies' e-mails (rows tied to a notification): how many, how many sent, lag p50/p95.
LAG_SQL = """
SELECT count(*), count(sent_at),
       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), 0),
       coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY lag), 0)
FROM (SELECT sent_at, extract(epoch FROM sent_at - created_at) AS lag
      FROM approvals_outboxmessage WHERE notification_id IS NOT NULL) AS agency_mail
"""

#: Where an agency e-mail's lag goes (medians, s): from the approval to its request's first render
#: claimed (waiting for a documents process), to the last document stored (rendering), and from
#: there to the e-mail sent (the mail queue and signing); and the other e-mails' lag (notices).
BREAKDOWN_SQL = """
WITH mail AS (SELECT request_id, created_at, sent_at FROM approvals_outboxmessage
              WHERE notification_id IS NOT NULL AND sent_at IS NOT NULL),
     docs AS (SELECT request_id, min(render_claimed_at) AS claimed, max(rendered_at) AS stored
              FROM approvals_document GROUP BY request_id)
SELECT coalesce(percentile_cont(0.5) WITHIN GROUP
                  (ORDER BY extract(epoch FROM docs.claimed - mail.created_at)), 0),
       coalesce(percentile_cont(0.5) WITHIN GROUP
                  (ORDER BY extract(epoch FROM docs.stored - docs.claimed)), 0),
       coalesce(percentile_cont(0.5) WITHIN GROUP
                  (ORDER BY extract(epoch FROM mail.sent_at - docs.stored)), 0),
       (SELECT coalesce(percentile_cont(0.5) WITHIN GROUP
                  (ORDER BY extract(epoch FROM sent_at - created_at)), 0)
        FROM approvals_outboxmessage WHERE notification_id IS NULL AND sent_at IS NOT NULL)
FROM mail JOIN docs USING (request_id)
"""


#: What must never happen however busy the workers are: a document with two organisation
#: signatures (each agency would hold a different file), an agency notification sent twice.
INTEGRITY_SQL = """
SELECT (SELECT count(*) FROM (SELECT document_id FROM approvals_documentsignature
                              WHERE kind = 'organisation' GROUP BY 1 HAVING count(*) > 1) AS d)
     + (SELECT count(*) FROM (SELECT notification_id FROM approvals_outboxmessage
                              WHERE notification_id IS NOT NULL AND status = 'sent'
                              GROUP BY 1 HAVING count(*) > 1) AS m)
"""


def spied(command: list[str], name: str, work: Path) -> list[str]:
    """The command as is, or under py-spy with ``LOAD_PROFILE=1`` (tests/load/profile.py)."""
    return profiled(command, work / f"profile-{name}.txt") if PROFILE else command


def load_environment(database_url: str, redis_url: str, work: Path) -> dict[str, str]:
    audit_key = b64encode(secrets.token_bytes(32)).decode()
    p12, root = work / "signing" / "organisation.p12", work / "signing" / "root.pem"
    write_demo_certificate(p12, root, "load")
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "DATABASE_MIGRATE_URL": "",
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "AUDIT_KEYS": f"load:{audit_key}",
        "VAR_DIR": str(work / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "API_TOKEN_HOURS": "2",
        "LOGIN_FAILURE_LIMIT": "1000",
        # The agencies' e-mails carry documents signed by the organisation, as in production.
        "DOCUMENT_SIGNING_P12": str(p12),
        "DOCUMENT_SIGNING_P12_PASSWORD": "load",
        "DOCUMENT_SIGNING_TRUST_ROOTS": str(root),
    }


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def wait_until_up(url: str, deadline_s: float = 60) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {deadline_s:.0f} s")


def step_row(stats_csv: Path) -> dict[str, str]:
    with stats_csv.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == STEP_NAME:
                return row
    return {}


def psql(pg: list[str], sql: str) -> str:
    """One query's answer from the load database, fields separated by commas."""
    answer = subprocess.run(
        ["psql", *pg, "-d", "doanravao_load", "-AtF,", "-c", sql],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return answer.stdout.strip()


def integrity(pg: list[str]) -> int:
    """:data:`INTEGRITY_SQL`: how many documents or notifications broke it (0 expected)."""
    return int(psql(pg, INTEGRITY_SQL))


def agency_mail(pg: list[str]) -> tuple[int, int, float, float]:
    """(e-mails, sent, lag p50 s, lag p95 s) of the agencies' e-mails in the load database."""
    total, sent, p50, p95 = psql(pg, LAG_SQL).split(",")
    return int(total), int(sent), float(p50), float(p95)


def mail_breakdown(pg: list[str]) -> str:
    """:data:`BREAKDOWN_SQL`, as one line of the report."""
    queued, rendering, sending, notices = (
        float(v or 0) for v in psql(pg, BREAKDOWN_SQL).split(",")
    )
    return (
        f"to a render {queued:.1f} s, rendering {rendering:.1f} s, then sent {sending:.1f} s "
        f"(notices: {notices:.1f} s)"
    )


def drain(pg: list[str]) -> tuple[int, int, float, float]:
    """Wait up to ``DRAIN_SECONDS`` for the worker to send every agency e-mail."""
    deadline = time.monotonic() + DRAIN_SECONDS
    mail = agency_mail(pg)
    while mail[1] < mail[0] and time.monotonic() < deadline:
        time.sleep(2)
        mail = agency_mail(pg)
    return mail


@dataclass
class LoadDatabase:
    """The load database, seeded, with what the processes and Locust need to use it."""

    env: dict[str, str]
    pg: list[str]
    work: Path
    password: str


def servers() -> tuple[str, str] | None:
    """``DATABASE_URL`` and ``REDIS_URL`` when both are set (PostgreSQL and Redis), else None."""
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url:
        return None
    return database_url, redis_url


def load_database(database_url: str, redis_url: str, requests: int) -> LoadDatabase:
    """A fresh ``doanravao_load`` beside ``database_url``: migrated, then ``requests``
    submitted requests seeded (``tests/load/seed.py``); the broker's queues purged."""
    server = urlsplit(database_url)
    load_url = urlunsplit(server._replace(path="/doanravao_load"))
    pg = ["-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432),
          "-U", server.username or "postgres"]  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="doanravao-load-"))
    env = load_environment(load_url, redis_url, work)
    password = secrets.token_urlsafe(12)
    subprocess.run(["dropdb", *pg, "--if-exists", "doanravao_load"], check=False)
    run(["createdb", *pg, "doanravao_load"], env)
    run([str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v0"], env)
    started = time.perf_counter()
    seed = (
        "from pathlib import Path; from tests.load.seed import seed; "
        f"seed({requests}, {SCHOOLS}, {password!r}, Path({str(work / 'work.json')!r}))"
    )
    run([str(BIN / "python"), "manage.py", "shell", "-c", seed], env)
    # The planner's statistics, as a server that has been running has them (autovacuum may be
    # off, as on the project's machines, and would take its time anyway).
    psql(pg, "VACUUM ANALYZE")
    print(f"seeded {requests} submitted requests in {time.perf_counter() - started:.0f} s")
    run([str(BIN / "celery"), "-A", "config", "purge", "-f"], env)
    return LoadDatabase(env, pg, work, password)


@contextmanager
def serving(db: LoadDatabase) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """gunicorn, the Celery workers of docs/production.md (one per queue group, so that renders
    never hold a mail slot: P5) and beat, up and answering; stopped on the way out. Yields the
    processes by group (``web``, ``mail``, ``documents``, ``celery,reports``, ``beat``)."""
    env, work = db.env, db.work
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        web = [str(BIN / "gunicorn"), "config.wsgi", "--workers", str(WEB_WORKERS),
               "--bind", f"127.0.0.1:{PORT}", "--access-logfile", "/dev/null"]  # fmt: skip
        processes["web"] = subprocess.Popen(spied(web, "web", work), cwd=ROOT, env=env)
        for queues, concurrency in (("mail", 2), ("documents", 2), ("celery,reports", 1)):
            worker = [str(BIN / "celery"), "-A", "config", "worker", "-Q", queues,
                      "--loglevel=WARNING", f"--concurrency={concurrency}", "-n", f"{queues}@%h",
                      "--without-gossip", "--without-mingle"]  # fmt: skip
            processes[queues] = subprocess.Popen(spied(worker, queues, work), cwd=ROOT, env=env)
        # beat's sweepers run as a task on the default queue.
        processes["beat"] = subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=WARNING",
             "--schedule", str(work / "beat-schedule")],
            cwd=ROOT, env=env,
        )  # fmt: skip
        wait_until_up(f"http://127.0.0.1:{PORT}/health/live/", 180 if PROFILE else 60)
        yield processes
    finally:
        for name, process in processes.items():
            if PROFILE and name != "beat":  # py-spy writes its samples when interrupted
                process.send_signal(signal.SIGINT)
            else:
                process.terminate()
        for process in processes.values():
            process.wait(timeout=30)


def locust(db: LoadDatabase, classes: list[str], users: int, rate: float, seconds: int,
           **settings: str) -> Path:  # fmt: skip
    """Run Locust headless with the given user classes for ``seconds``; its statistics CSV.

    ``rate`` is the approval steps per second of all ``USERS`` approvers together. Users start
    one arrival apart (spawn rate = ``rate``) and each then keeps its own period
    (``USERS / rate``): the steps arrive evenly, at any rate. Spawned all at once, the users
    stayed in step and the "rate" came as bursts of ``USERS`` steps.
    """
    env = {**db.env, "LOAD_WORK": str(db.work / "work.json"), "LOAD_PASSWORD": db.password,
           "LOAD_RATE": str(rate), "LOAD_USERS": str(USERS),
           # Locust puts the locustfile's folder on the path; its imports name the project's.
           "PYTHONPATH": str(ROOT), **settings}  # fmt: skip
    run(
        [str(BIN / "locust"), "-f", str(ROOT / "tests/load/locustfile.py"), "--headless",
         "-u", str(users), "-r", str(rate), "-t", f"{seconds}s",
         "--host", f"http://127.0.0.1:{PORT}", "--csv", str(db.work / "load"),
         "--only-summary", "--stop-timeout", "10",
         # Failed requests are counted in the report's table, which must still be printed.
         "--exit-code-on-error", "0", *classes],
        env,
    )  # fmt: skip
    return db.work / "load_stats.csv"


def main() -> int:
    found = servers()
    if found is None:
        print("make load needs DATABASE_URL (PostgreSQL) and REDIS_URL (Redis)")
        return 2
    # Each request has two steps left on average (a third wait at each step: tests/load/seed.py).
    db = load_database(*found, requests=int(RATE * SECONDS / 2) + USERS)
    pg, work = db.pg, db.work
    with serving(db) as processes:
        tps = pgbench_tps(pg)
        stats = locust(db, ["Approver"], USERS, RATE, SECONDS)
        mail = drain(pg)
        breakdown = mail_breakdown(pg)
        doubles = integrity(pg)

    row = step_row(stats)
    count, failures = int(row.get("Request Count", 0)), int(row.get("Failure Count", 0))
    steps = (count - failures) / SECONDS
    p50, p95 = float(row.get("50%", 0) or 0), float(row.get("95%", 0) or 0)
    table = Table(
        f"P1 approval steps over HTTP: gunicorn ×{WEB_WORKERS}, PostgreSQL, Redis, a real "
        f"worker; {USERS} clients at {RATE:.0f} steps/s for {SECONDS} s"
    )
    table.add("steps completed", f"{count - failures} ({steps:.1f} steps/s)")
    latency = f"p50 {p50:.0f} ms  p95 {p95:.0f} ms"
    table.add("latency of a step", latency, f"p95 ≤ {P95_TARGET_MS:.0f} ms",
              p95 <= P95_TARGET_MS and count > 0)  # fmt: skip
    table.add("errors", str(failures), "0", failures == 0 and count > 0)
    table.add("pgbench TPC-B (same run)", f"{tps:.0f} TPS" if tps else "n/a")
    if tps and tps < TPS_FLOOR:
        ratio = steps / tps
        table.add(
            "steps/s ÷ pgbench TPS", f"{ratio:.4f}", f"≥ {RATIO_TARGET}", ratio >= RATIO_TARGET
        )
    else:
        table.add("steps/s", f"{steps:.1f}", f"≥ {STEPS_TARGET:.0f}", steps >= STEPS_TARGET)
    total, sent, lag50, lag95 = mail
    table.add("agency e-mails sent (P5)", f"{sent} of {total}", "all", total > 0 and sent == total)
    table.add("agency mail lag, approval → sent", f"p50 {lag50:.1f} s  p95 {lag95:.1f} s",
              f"p95 ≤ {LAG_TARGET_S:.0f} s", total > 0 and lag95 <= LAG_TARGET_S)  # fmt: skip
    table.add("  where it goes (medians)", breakdown)
    table.add("documents signed twice, e-mails sent twice", str(doubles), "0", doubles == 0)
    print(table.render())
    if PROFILE:
        for name in processes:
            if name == "beat":
                continue
            print(f"\n  CPU of {name} under load (py-spy; % of its samples: own, inclusive)")
            for own, inclusive, function in summary(work / f"profile-{name}.txt"):
                print(f"    {own:5.1f} % {inclusive:5.1f} %  {function}")
    print(f"  (Locust's CSV files and the load settings are in {work})")
    return 1 if table.misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
