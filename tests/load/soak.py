"""``make soak``: approval steps and list reads mixed for 30 minutes (QUALITY.md P6).

The stack of ``make load`` (``tests/load/run.py``: gunicorn, the Celery workers per queue group,
beat, PostgreSQL and Redis, production settings), driven for ``SOAK_MINUTES`` (default 30) by
two kinds of Locust users (``tests/load/locustfile.py``):

- approvers taking approval steps (GET the dossier, POST the decision; head, department and the
  Director, who issues the documents and notifies the agencies) at ``LOAD_RATE`` steps/s
  (default 3: QUALITY.md's design peak is 1 a second and 5 in a deadline burst);
- readers opening the inbox, the queue and the request list (as the department's reviewer and
  as a school head) at ``SOAK_READ_RATE`` lists/s (default 6).

Meanwhile the resident memory of every process group (gunicorn and its workers, each Celery
worker with its pool, beat) is sampled every ``SOAK_MEMORY_EVERY`` seconds (default 15), and a
fixed piece of CPU work is timed beside it: the machine's yardstick, printed next to each drift.

At the end it compares the first window after a warm-up (``SOAK_WARMUP_MINUTES``, default 3)
with the last (``SOAK_WINDOW_MINUTES`` each, default 5; see ``tests/load/windows.py``) and
prints a table; exit status 1 when a target is missed:

- p95 drift ≤ 10 % for the approval step and each list;
- memory growth ≤ 10 % for each process group;
- no error at all; every agency e-mail sent; nothing signed or sent twice.

Needs PostgreSQL and Redis (``DATABASE_URL``, ``REDIS_URL``); installs Locust (``.[load]``).
"""

from __future__ import annotations

import csv
import os
import threading
import time
from pathlib import Path

import psutil

from tests.bench.report import Table, yardstick_ms
from tests.load import windows
from tests.load.names import READ_NAMES, STEP_NAME
from tests.load.run import (
    USERS,
    drain,
    integrity,
    load_database,
    locust,
    psql,
    servers,
    serving,
)

MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
RATE = float(os.environ.get("LOAD_RATE", "3"))
READ_RATE = float(os.environ.get("SOAK_READ_RATE", "6"))
READERS = int(os.environ.get("SOAK_READERS", "10"))
WARMUP_MINUTES = float(os.environ.get("SOAK_WARMUP_MINUTES", "3"))
WINDOW_MINUTES = float(os.environ.get("SOAK_WINDOW_MINUTES", "5"))
MEMORY_EVERY = float(os.environ.get("SOAK_MEMORY_EVERY", "15"))
DRIFT_TARGET = GROWTH_TARGET = 0.10
#: The tables autovacuum would vacuum and analyse now, by its default thresholds (50 rows and
#: a fifth of the table dead, or a tenth changed since the last analysis).
DUE_FOR_AUTOVACUUM = """
SELECT s.relname FROM pg_stat_user_tables AS s JOIN pg_class AS c ON c.oid = s.relid
WHERE s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0)
   OR s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
"""


def resident_mb(process: psutil.Process) -> dict[int, float]:
    """Resident memory (MB) of a process and of each of its children (a pool's workers); none
    when the process itself is gone (its group then has no sample, and its window no verdict
    but a miss)."""
    found: dict[int, float] = {}
    try:
        family = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return found
    for each in family:
        try:
            found[each.pid] = each.memory_info().rss / 2**20
        except psutil.NoSuchProcess:  # a pool child replaced between the listing and the read
            continue
    return found


class MemorySampler(threading.Thread):
    """Samples each group's resident memory every ``MEMORY_EVERY`` seconds until stopped; the
    group's total is judged, each process's figure goes to ``memory.csv`` (seconds, group,
    pid, MB) to tell a growing pool worker from a growing main process."""

    def __init__(self, pids: dict[str, int], log: Path) -> None:
        super().__init__(daemon=True)
        self.processes = {group: psutil.Process(pid) for group, pid in pids.items()}
        self.samples: list[windows.Sample] = []
        self.log = log
        self.started = time.monotonic()
        self.stopped = threading.Event()

    def run(self) -> None:
        with self.log.open("w", newline="") as handle:
            rows = csv.writer(handle)
            while not self.stopped.wait(MEMORY_EVERY):
                at = time.monotonic() - self.started
                for group, process in self.processes.items():
                    each = resident_mb(process)
                    if each:
                        self.samples.append(windows.Sample(at, group, sum(each.values())))
                    rows.writerows(
                        (f"{at:.0f}", group, pid, f"{mb:.1f}") for pid, mb in each.items()
                    )
                self.samples.append(windows.Sample(at, windows.YARDSTICK, yardstick_ms()))


class Autovacuum(threading.Thread):
    """What PostgreSQL's autovacuum does, where the server has it off (as on the project's
    machines): every minute, VACUUM ANALYZE the tables past its default thresholds. Without it
    the soak would measure dead rows piling up and plans made on the seed's statistics, which
    no production server has."""

    def __init__(self, pg: list[str]) -> None:
        super().__init__(daemon=True)
        self.pg = pg
        self.runs = 0
        self.stopped = threading.Event()

    @staticmethod
    def needed(pg: list[str]) -> bool:
        return psql(pg, "SHOW autovacuum") != "on"

    def run(self) -> None:
        while not self.stopped.wait(60):
            due = psql(self.pg, DUE_FOR_AUTOVACUUM).split()
            for table in due:
                psql(self.pg, f'VACUUM (ANALYZE) "{table}"')
            self.runs += bool(due)


def read_samples(path: Path) -> list[windows.Sample]:
    """The latencies Locust's users wrote (``LOAD_SAMPLES``: seconds, name, ms, failed)."""
    with path.open(newline="") as handle:
        return [windows.Sample(float(at), name, float(ms), failed == "1")
                for at, name, ms, failed in csv.reader(handle)]  # fmt: skip


def _percent(ratio: float | None) -> str:
    return "n/a" if ratio is None else f"{ratio * 100:+.0f} %"


def timeline_table(
    latencies: list[windows.Sample], memory: list[windows.Sample], seconds: int
) -> str:
    """p95 (ms), memory (MB, median) and the yardstick (ms, median) by stretch of
    ``WINDOW_MINUTES``: a step and a climb read differently, and so does a slower machine."""
    every = WINDOW_MINUTES * 60
    names = (STEP_NAME, *READ_NAMES)
    groups = sorted({s.name for s in memory} - {windows.YARDSTICK})
    columns = [windows.timeline(latencies, n, every, seconds) for n in names]
    rams = [
        windows.memory_timeline(memory, g, every, seconds) for g in (*groups, windows.YARDSTICK)
    ]
    lines = [
        "\n  by stretch: p95 ms of "
        + ", ".join(names)
        + "; MB of "
        + ", ".join(groups)
        + "; ms of the machine's yardstick (median)"
    ]
    for i in range(len(columns[0])):
        figures = [f"{c[i]:6.0f}" if c[i] is not None else "     -" for c in columns]
        sizes = [f"{r[i]:6.0f}" if r[i] is not None else "     -" for r in rams]
        start = i * every / 60
        lines.append(f"  {start:5g} min  " + " ".join(figures) + "  |" + " ".join(sizes))
    return "\n".join(lines)


def main() -> int:
    found = servers()
    if found is None:
        print("make soak needs DATABASE_URL (PostgreSQL) and REDIS_URL (Redis)")
        return 2
    seconds = int(MINUTES * 60)
    cut = windows.Windows.of(seconds, WARMUP_MINUTES * 60, WINDOW_MINUTES * 60)
    # Enough requests that the approvers never run dry (two steps left each, on average).
    db = load_database(*found, requests=int(RATE * seconds / 2) + USERS)
    samples_csv = db.work / "samples.csv"
    autovacuum = Autovacuum(db.pg) if Autovacuum.needed(db.pg) else None
    with serving(db) as processes:
        pids = {group: p.pid for group, p in processes.items()}
        sampler = MemorySampler(pids, db.work / "memory.csv")
        sampler.start()
        if autovacuum is not None:
            autovacuum.start()
        locust(db, ["Approver", "Reader"], USERS + READERS, RATE, seconds,
               LOAD_READ_RATE=str(READ_RATE), LOAD_READERS=str(READERS),
               LOAD_SAMPLES=str(samples_csv))  # fmt: skip
        # The memory clock started a moment before Locust's (its users sign in first): the
        # windows are cut from the same run, a second or two apart at most.
        sampler.stopped.set()
        sampler.join()
        if autovacuum is not None:
            autovacuum.stopped.set()
            autovacuum.join()
        mail = drain(db.pg)
        doubles = integrity(db.pg)

    latencies = read_samples(samples_csv)
    table = Table(
        f"P6 soak: {MINUTES:.0f} min, {RATE:g} approval steps/s and {READ_RATE:g} list reads/s; "
        f"windows {cut.first[0] / 60:.0f}–{cut.first[1] / 60:.0f} min and "
        f"{cut.last[0] / 60:.0f}–{cut.last[1] / 60:.0f} min"
    )
    machine = windows.machine_slowdown(sampler.samples, cut)
    for name in (STEP_NAME, *READ_NAMES):
        change = windows.latency_drift(latencies, name, cut)
        count = sum(1 for s in latencies if s.name == name)
        measured = (
            f"p95 {change.first or 0:.0f} → {change.last or 0:.0f} ms "
            f"({_percent(change.ratio)}; {count} requests; machine {_percent(machine.ratio)})"
        )
        table.add(f"{name}: p95 drift", measured, f"≤ +{DRIFT_TARGET:.0%}",
                  change.within(DRIFT_TARGET))  # fmt: skip
    for group in processes:
        change = windows.memory_growth(sampler.samples, group, cut)
        measured = f"{change.first or 0:.0f} → {change.last or 0:.0f} MB ({_percent(change.ratio)})"
        table.add(f"memory of {group}", measured, f"≤ +{GROWTH_TARGET:.0%}",
                  change.within(GROWTH_TARGET))  # fmt: skip
    table.add(
        "machine's yardstick (a fixed CPU task, median)",
        f"{machine.first or 0:.0f} → {machine.last or 0:.0f} ms ({_percent(machine.ratio)})",
    )
    errors = windows.failures(latencies)
    table.add("errors", ", ".join(f"{n}: {c}" for n, c in errors.items()) or "0", "0",
              not errors and bool(latencies))  # fmt: skip
    total, sent, _lag50, lag95 = mail
    table.add("agency e-mails sent", f"{sent} of {total} (lag p95 {lag95:.1f} s)", "all",
              total > 0 and sent == total)  # fmt: skip
    table.add("documents signed twice, e-mails sent twice", str(doubles), "0", doubles == 0)
    if autovacuum is not None:
        table.add("autovacuum (off on this server)", f"done by the soak: {autovacuum.runs} rounds")
    print(table.render())
    print(timeline_table(latencies, sampler.samples, seconds))
    print(f"  (the samples and Locust's CSV files are in {db.work})")
    return 1 if table.misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
