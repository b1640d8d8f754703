"""P4: streaming exports of 100,000 requests, CSV and XLSX (run with ``make bench``).

Prints time to first byte, rows per second and resident-memory growth, with a baseline from
the same run (reading the same rows with a bare ``values_list``). Only the memory target
(growth under 50 MB) is asserted: timings depend on the machine and are reported, not judged.
"""

from __future__ import annotations

import datetime
import gc
import time

import pytest

from delegations.models import OutboundMember, OutboundRequest, OutboundStop
from tests.conftest import login
from tests.factories import PersonFactory

ROWS = 100_000
BATCH = 5_000
MEMORY_TARGET_MB = 50

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def rss_mb() -> float:
    """Resident set size of this process now (Linux), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def seed(org, teacher) -> None:
    """100,000 approved-looking requests, each with one member and one stop (bulk inserts)."""
    day = datetime.date(2026, 3, 2)
    people = [PersonFactory(unit=org.school_a) for _ in range(50)]
    for start in range(0, ROWS, BATCH):
        requests = OutboundRequest.objects.bulk_create(
            [
                OutboundRequest(
                    unit=org.school_a, created_by=teacher.user, status="approved", route="DEPT",
                    reference=f"2026/{i:06d}", kind="official", purpose_category="study",
                    purpose=f"Khảo sát giáo dục STEM, đợt {i}", funding_source="unit_revenue",
                    estimated_cost=1_000_000 * (i % 97), departure_date=day,
                    return_date=day + datetime.timedelta(days=4),
                )
                for i in range(start, start + BATCH)
            ]
        )  # fmt: skip
        OutboundStop.objects.bulk_create(
            [OutboundStop(request=r, country="JP", days=5, cities="Osaka") for r in requests]
        )
        OutboundMember.objects.bulk_create(
            [
                OutboundMember(request=r, person=people[i % len(people)], role="head")
                for i, r in enumerate(requests)
            ]
        )


def consume(response, started: float) -> dict[str, float]:
    """Read the whole body, sampling RSS; returns first byte (s), total (s), bytes, peak RSS."""
    first = None
    size = 0
    peak = rss_mb()
    for i, chunk in enumerate(response.streaming_content):
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        if i % 20 == 0:
            peak = max(peak, rss_mb())
    total = time.perf_counter() - started
    return {"first": first or total, "total": total, "bytes": size, "peak": max(peak, rss_mb())}


def baseline_rows_per_second() -> float:
    started = time.perf_counter()
    count = sum(1 for _row in OutboundRequest.objects.values_list(
        "pk", "reference", "purpose", "departure_date", "return_date"
    ).iterator(chunk_size=2000))  # fmt: skip
    assert count == ROWS
    return ROWS / (time.perf_counter() - started)


def test_exports_of_100k_requests_stream_in_bounded_memory(org, teacher_a, auditor):
    started = time.perf_counter()
    seed(org, teacher_a)
    seeded = time.perf_counter() - started
    client = login(auditor)
    baseline = baseline_rows_per_second()
    results = {}
    for fmt in ("csv", "xlsx"):
        gc.collect()
        before = rss_mb()
        started = time.perf_counter()
        response = client.get(f"/api/v1/exports/outbound.{fmt}")
        assert response.status_code == 200
        assert response["X-Export-Rows"] == str(ROWS)
        measured = consume(response, started)
        response.close()
        measured["growth"] = measured["peak"] - before
        measured["rows_per_s"] = ROWS / measured["total"]
        results[fmt] = measured

    print(f"\nP4 export benchmark: {ROWS:,} requests (seeded in {seeded:.1f} s)")
    print(f"  baseline: values_list() over the same table: {baseline:,.0f} rows/s")
    for fmt, m in results.items():
        print(
            f"  {fmt:4}  first byte {m['first'] * 1000:8.0f} ms   total {m['total']:6.1f} s   "
            f"{m['rows_per_s']:9,.0f} rows/s ({m['rows_per_s'] / baseline:.2f}× baseline)   "
            f"{m['bytes'] / 1e6:6.1f} MB out   RSS growth {m['growth']:5.1f} MB"
        )
    print("  targets: first byte ≤ 1 s, CSV ≥ 20,000 rows/s, RSS growth ≤ 50 MB")
    for fmt, m in results.items():
        assert m["growth"] < MEMORY_TARGET_MB, f"{fmt}: RSS grew {m['growth']:.1f} MB"
