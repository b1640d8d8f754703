"""P4: streaming exports of 100,000 requests, CSV and XLSX (run with ``make bench``).

Prints time to first byte, rows per second and resident-memory growth, with a baseline from
the same run (reading the same rows with a bare ``values_list``), and fails when a target of
QUALITY.md P4 is missed: first byte ≤ 1 s, CSV ≥ 30,000 rows/s, memory growth ≤ 50 MB.
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
FIRST_BYTE_TARGET_S = 1.0
CSV_ROWS_TARGET = 30_000

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
        # The test client closes a streamed response when its content is read; closing it
        # again would fire request_finished and drop the test's database connection.
        measured = consume(response, started)
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
    misses = [
        f"{fmt}: {what}"
        for fmt, m in results.items()
        for what, missed in (
            (
                f"first byte {m['first']:.2f} s > {FIRST_BYTE_TARGET_S} s",
                m["first"] > FIRST_BYTE_TARGET_S,
            ),
            (f"RSS grew {m['growth']:.1f} MB", m["growth"] > MEMORY_TARGET_MB),
            (
                f"{m['rows_per_s']:,.0f} rows/s < {CSV_ROWS_TARGET:,}",
                fmt == "csv" and m["rows_per_s"] < CSV_ROWS_TARGET,
            ),
        )
        if missed
    ]
    print(
        f"  targets: first byte ≤ {FIRST_BYTE_TARGET_S:.0f} s, CSV ≥ {CSV_ROWS_TARGET:,} rows/s, "
        f"RSS growth ≤ {MEMORY_TARGET_MB} MB: {'MISSED ' + '; '.join(misses) if misses else 'met'}"
    )
    assert not misses, misses
