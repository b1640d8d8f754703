"""The soak's verdicts (``make soak``, QUALITY.md P6): what counts as drift and as growth.

The soak itself needs PostgreSQL, Redis and half an hour; what decides whether it passes is this
arithmetic, checked here on runs whose answer is known.
"""

from __future__ import annotations

from tests.load.windows import (
    YARDSTICK,
    Sample,
    Windows,
    failures,
    latency_drift,
    machine_slowdown,
    memory_growth,
    memory_timeline,
    timeline,
)

#: A 30-minute run judged on its 3rd–8th and 25th–30th minutes.
HALF_HOUR = Windows.of(1800, warmup=180, window=300)


def steady(name: str, values: list[float], start: float, end: float) -> list[Sample]:
    """``values`` repeated evenly from ``start`` to ``end`` seconds."""
    step = (end - start) / len(values)
    return [Sample(start + i * step, name, value) for i, value in enumerate(values)]


def test_windows_are_cut_after_the_warm_up_and_at_the_end():
    assert HALF_HOUR.first == (180, 480)
    assert HALF_HOUR.last == (1500, 1800)
    # Too short a run for two windows after the warm-up: what is left is halved, never shared.
    short = Windows.of(240, warmup=60, window=300)
    assert short.first == (60, 150)
    assert short.last == (150, 240)


def test_a_steady_latency_does_not_drift():
    values = [100.0] * 95 + [200.0] * 5
    samples = steady("step", values * 18, 0, 1800)
    drift = latency_drift(samples, "step", HALF_HOUR)
    assert drift.first == drift.last == 200.0
    assert drift.ratio == 0
    assert drift.within(0.10)


def test_a_tail_that_grows_by_a_fifth_is_a_miss():
    early = steady("step", [100.0] * 90 + [300.0] * 10, 180, 480)
    late = steady("step", [100.0] * 90 + [360.0] * 10, 1500, 1800)
    drift = latency_drift(early + late, "step", HALF_HOUR)
    assert (drift.first, drift.last) == (300.0, 360.0)
    assert round(drift.ratio or 0, 2) == 0.20
    assert not drift.within(0.10)


def test_the_warm_up_and_failures_are_left_out_of_the_percentiles():
    samples = [
        Sample(10, "step", 5000.0),  # the first request after the start: caches empty
        *steady("step", [100.0] * 20, 180, 480),
        Sample(300, "step", 30000.0, failed=True),  # counted as an error, not as latency
        *steady("step", [100.0] * 20, 1500, 1800),
    ]
    drift = latency_drift(samples, "step", HALF_HOUR)
    assert drift.first == drift.last == 100.0
    assert failures(samples) == {"step": 1}


def test_a_window_without_samples_is_never_a_pass():
    samples = steady("step", [100.0] * 20, 180, 480)  # nothing at the end: the run died
    drift = latency_drift(samples, "step", HALF_HOUR)
    assert drift.last is None
    assert drift.ratio is None
    assert not drift.within(0.10)


def test_memory_growth_compares_medians_so_one_render_is_not_a_leak():
    early = steady("documents", [500.0, 500.0, 900.0, 500.0, 500.0], 180, 480)
    late = steady("documents", [505.0, 505.0, 505.0, 950.0, 505.0], 1500, 1800)
    growth = memory_growth(early + late, "documents", HALF_HOUR)
    assert (growth.first, growth.last) == (500.0, 505.0)
    assert growth.within(0.10)


def test_a_worker_that_keeps_growing_is_a_miss():
    samples = [Sample(t, "web", 600 + t / 10) for t in range(0, 1800, 15)]  # +6 MB a minute
    growth = memory_growth(samples, "web", HALF_HOUR)
    assert growth.first is not None and growth.last is not None
    assert growth.last - growth.first > 100
    assert not growth.within(0.10)


def test_the_timeline_shows_where_a_drift_came_from():
    samples = [
        *steady("step", [100.0] * 10, 0, 300),
        *steady("step", [150.0] * 10, 300, 600),
        Sample(650, "step", 9000.0, failed=True),
        *steady("other", [1.0] * 10, 600, 900),
    ]
    assert timeline(samples, "step", 300, 900) == [100.0, 150.0, None]
    memory = [Sample(t, "web", 500 + (t >= 300) * 100) for t in range(0, 600, 15)]
    assert memory_timeline(memory, "web", 300, 900) == [500, 600, None]


def test_the_machine_s_yardstick_tells_a_slower_machine_from_a_slower_product():
    """Both runs' requests got a fifth slower; only the first machine did too."""
    requests = steady("step", [300.0] * 20, 180, 480) + steady("step", [360.0] * 20, 1500, 1800)
    busy = steady(YARDSTICK, [20.0] * 20, 180, 480) + steady(YARDSTICK, [24.0] * 20, 1500, 1800)
    idle = steady(YARDSTICK, [20.0] * 20, 180, 480) + steady(YARDSTICK, [20.0] * 20, 1500, 1800)
    drift = latency_drift(requests, "step", HALF_HOUR)
    assert round(drift.ratio or 0, 2) == 0.20
    assert round(machine_slowdown(busy, HALF_HOUR).ratio or 0, 2) == 0.20
    assert machine_slowdown(idle, HALF_HOUR).ratio == 0
