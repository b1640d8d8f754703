"""P2/P3: inbox and queue latency with many tasks, ours beside viewflow's stock queue.

Run with ``make bench`` (``BENCH_TASKS``, default 1,000,000; on PostgreSQL with
``DATABASE_URL=postgres://… make bench``). Prints a report; the only assertions are on query
counts, never on timings.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import pytest
from django.core.paginator import Paginator
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.conftest import login
from tests.workflow.test_inbox_scale import seed_tasks
from workflow.flows.outbound import OutboundFlow

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

TASKS = int(os.environ.get("BENCH_TASKS", "1000000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return f"p50 {pick(0.50):7.1f} ms  p95 {pick(0.95):7.1f} ms  p99 {pick(0.99):7.1f} ms"


def timed(call: Callable[[], object]) -> list[float]:
    call()
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
        reset_queries()
    return samples


def test_inbox_and_queue_against_stock_viewflow(org, teacher_a, dept_reviewer, capsys):
    user = dept_reviewer.user
    created = 0
    batch = 20000
    start = time.perf_counter()
    schools = None
    while created < TASKS:
        n = min(batch, TASKS - created)
        schools = seed_tasks(
            n, department=org.department, creator=teacher_a.user, units=2000, schools=schools
        )
        created += n
    seeding = time.perf_counter() - start
    client = login(dept_reviewer)

    def ours_queue() -> object:
        response = client.get("/api/v1/tasks/?scope=queue")
        assert response.status_code == 200
        return response

    def ours_inbox() -> object:
        return client.get("/api/v1/tasks/?scope=inbox")

    def stock_queue() -> object:
        # What viewflow's FlowQueueListView evaluates: the guardian-aware queue, newest first,
        # a paginator COUNT and the first page.
        qs = (
            Task.objects.all()
            .select_related("process")
            .user_queue(user, flow_class=OutboundFlow)
            .filter(status=STATUS.NEW)
            .order_by("-created")
        )
        page = Paginator(qs, 50).page(1)
        return list(page.object_list)

    ours_queue()  # warm caches first, as on a running server
    with CaptureQueriesContext(connection) as ctx:
        ours_queue()
    our_queries = len(ctx.captured_queries)
    results = {
        "ours: queue (API)": timed(ours_queue),
        "ours: inbox (API)": timed(ours_inbox),
        "viewflow stock queue": timed(stock_queue),
    }
    with capsys.disabled():
        print(
            f"\n== P2/P3 inbox benchmark on {connection.vendor}: {TASKS:,} open tasks, "
            f"2,000 units, seeded in {seeding:.0f} s, {ROUNDS} rounds"
        )
        for name, samples in results.items():
            print(f"  {name:24s} {percentiles(samples)}")
        ratio = statistics.median(results["viewflow stock queue"]) / statistics.median(
            results["ours: queue (API)"]
        )
        print(f"  stock / ours (median): {ratio:.1f}×   queries per queue page: {our_queries}")
    assert our_queries <= 12
