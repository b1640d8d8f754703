"""Locust users that approve requests step by step over HTTP, as approvers do.

One "approval step" is what an approver's browser or client does: read the dossier
(``GET /api/v1/outbound/{id}/``, which names the open task) and post the decision
(``POST /api/v1/tasks/{task}/complete/``). It is reported as one Locust entry, ``approval step``,
timed from the first byte sent to the last byte of the decision's answer. The users share one
list of requests; each step hands the request at once to the next approver of its chain.

Settings by environment (``tests/load/run.py`` sets them): ``LOAD_WORK`` (the seed's JSON),
``LOAD_PASSWORD``, ``LOAD_RATE`` (steps per second, all users together), ``LOAD_USERS``.
"""

from __future__ import annotations

import collections
import json
import os
import time
from pathlib import Path
from typing import Any

import requests
from locust import HttpUser, constant_throughput, events, task

SEED = json.loads(Path(os.environ["LOAD_WORK"]).read_text())
RATE = float(os.environ.get("LOAD_RATE", "60"))
USERS = int(os.environ.get("LOAD_USERS", "30"))
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


class Approver(HttpUser):
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
            name="approval step",
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
