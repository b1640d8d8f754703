"""Locust users that approve requests step by step over HTTP, as approvers do.

One "approval step" is what an approver's browser or client does: read the dossier
(``GET /api/v1/outbound/{id}/``, which names the open task) and post the decision
(``POST /api/v1/tasks/{task}/complete/``). It is reported as one Locust entry, ``approval step``,
timed from the first byte sent to the last byte of the decision's answer. The users share one
list of requests; each step hands the request at once to the next approver of its chain.

The soak (``tests/load/soak.py``, QUALITY.md P6) adds :class:`Reader` users: an approver or a
school head opening their inbox, the queue they may claim from, or the request list, the reads
of P2 mixed with the steps. Every request's timing is also written to ``LOAD_SAMPLES`` (a CSV
of seconds since the start, name, milliseconds, failed) when that is set: the soak compares its
first and last stretch.

Settings by environment (``tests/load/run.py`` and ``soak.py`` set them): ``LOAD_WORK`` (the
seed's JSON), ``LOAD_PASSWORD``, ``LOAD_RATE`` (steps per second, all users together),
``LOAD_USERS``; ``LOAD_READ_RATE`` and ``LOAD_READERS`` for the readers; ``LOAD_SAMPLES``.
"""

from __future__ import annotations

import collections
import csv
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import requests
from locust import HttpUser, constant_throughput, events, task

from tests.load.names import READS, STEP_NAME

SEED = json.loads(Path(os.environ["LOAD_WORK"]).read_text())
RATE = float(os.environ.get("LOAD_RATE", "60"))
USERS = int(os.environ.get("LOAD_USERS", "30"))
READ_RATE = float(os.environ.get("LOAD_READ_RATE", "0") or 0)
READERS = int(os.environ.get("LOAD_READERS", "10"))
#: (request id, index of the next approver in its chain)
QUEUE: collections.deque[tuple[int, list[str], int]] = collections.deque(
    (item["id"], item["chain"], item.get("start", 0)) for item in SEED["work"]
)
TOKENS: dict[str, str] = {}


@events.test_start.add_listener
def sign_in(environment: Any, **_kwargs: Any) -> None:
    """One token per approver, before the clock starts (log-in is not what is measured)."""
    for key, username in SEED["users"].items():
        answer = requests.post(
            f"{environment.host}/api/v1/auth/token/",
            json={"username": username, "password": os.environ["LOAD_PASSWORD"]},
            timeout=30,
        )
        answer.raise_for_status()
        TOKENS[key] = answer.json()["token"]


class Samples:
    """Every request's timing as it ends, written to ``LOAD_SAMPLES`` when the run stops: what
    the soak's windows are cut from (Locust's own CSV has the whole run's percentiles only)."""

    rows: list[tuple[str, str, str, int]] = []
    started = time.monotonic()

    @staticmethod
    @events.test_start.add_listener
    def start(**_kw: Any) -> None:
        Samples.rows.clear()
        Samples.started = time.monotonic()

    @staticmethod
    @events.request.add_listener
    def add(name: str, response_time: float, exception: Exception | None, **_kw: Any) -> None:
        offset = time.monotonic() - Samples.started
        Samples.rows.append((f"{offset:.3f}", name, f"{response_time:.1f}", int(bool(exception))))

    @staticmethod
    @events.test_stop.add_listener
    def write(**_kw: Any) -> None:
        path = os.environ.get("LOAD_SAMPLES", "")
        if path:
            with Path(path).open("w", newline="") as handle:
                csv.writer(handle).writerows(Samples.rows)


class Approver(HttpUser):
    fixed_count = USERS
    wait_time = constant_throughput(RATE / USERS)

    @task
    def approval_step(self) -> None:
        if not QUEUE:
            return
        request_id, chain, index = QUEUE.popleft()
        headers = {"Authorization": f"Token {TOKENS[chain[index]]}"}
        started = time.perf_counter()
        error: Exception | None = None
        size = 0
        try:
            dossier = self.client.get(
                f"/api/v1/outbound/{request_id}/", headers=headers, name="dossier (GET)"
            )
            dossier.raise_for_status()
            tasks = dossier.json()["current_tasks"]
            answer = self.client.post(
                f"/api/v1/tasks/{tasks[0]['id']}/complete/",
                json={"action": "approve"},
                headers=headers,
                name="decision (POST)",
            )
            answer.raise_for_status()
            size = len(answer.content)
        except Exception as exc:  # every failure is counted; none stops the run
            error = exc
        events.request.fire(
            request_type="STEP",
            name=STEP_NAME,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=size,
            exception=error,
            context={},
        )
        if error is None and index + 1 < len(chain):
            # Next in line: the request goes straight to its next approver, so the steps of a
            # run are a third each of head, department and Director (who issues the documents
            # and notifies the agencies), not all the heads' first.
            QUEUE.appendleft((request_id, chain, index + 1))


class Reader(HttpUser):
    """Someone opening a list: the department's reviewer (inbox, queue, request list) or a
    school head (their school's request list), ``LOAD_READ_RATE`` lists a second in all."""

    fixed_count = READERS
    wait_time = constant_throughput(READ_RATE / READERS if READ_RATE else 0.001)

    @task
    def open_a_list(self) -> None:
        name, path, who = random.choice(READS)
        self.client.get(path, headers={"Authorization": f"Token {TOKENS[who]}"}, name=name)
