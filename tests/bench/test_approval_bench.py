"""P0/P1: a full HTTP approval step (read the task, decide, next task, audit and outbox rows).

Sequential steps through the Django test client against the configured database; prints steps/s
and latency percentiles, and on PostgreSQL a pgbench TPC-B baseline from the same machine so the
ratio can be compared across runs. Run with ``make bench`` (``BENCH_STEPS``, default 200).
"""

from __future__ import annotations

import os
import time

import pytest
from django.conf import settings
from django.db import connection

from tests.bench.report import percentiles, pgbench_tps
from tests.conftest import login
from tests.factories import make_staff
from tests.flows import draft
from workflow.services import outbound_submit, process_for

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

STEPS = int(os.environ.get("BENCH_STEPS", "200"))


def server_options() -> list[str]:
    db = settings.DATABASES["default"]
    return [
        "-h",
        str(db["HOST"] or "127.0.0.1"),
        "-p",
        str(db["PORT"] or 5432),
        "-U",
        str(db["USER"]),
    ]


def test_http_approval_steps(org, teacher_a, head_a, capsys):
    requests = []
    for i in range(STEPS):
        traveller = make_staff(f"bench{i}", org.school_a)
        request = draft(traveller)
        outbound_submit(actor=traveller.user, request=request)
        requests.append(request)
    tasks = [process_for(r).task_set.get(status="NEW").pk for r in requests]
    client = login(head_a)
    samples = []
    start = time.perf_counter()
    for request, task_id in zip(requests, tasks, strict=True):
        t0 = time.perf_counter()
        assert client.get(f"/api/v1/outbound/{request.pk}/").status_code == 200
        response = client.post(
            f"/api/v1/tasks/{task_id}/complete/",
            {"action": "approve"},
            content_type="application/json",
        )
        assert response.status_code == 200
        samples.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    tps = pgbench_tps(server_options()) if connection.vendor == "postgresql" else None
    with capsys.disabled():
        print(f"\n== P1 approval steps on {connection.vendor}: {STEPS} steps, one client")
        print(f"  {STEPS / elapsed:6.1f} steps/s   {percentiles(samples)}")
        print(f"  P0 baseline: {f'{tps:.0f} TPS' if tps else 'n/a (needs PostgreSQL and pgbench)'}")
