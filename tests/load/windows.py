"""The soak's arithmetic: a run's first and last stretch compared (QUALITY.md P6).

Kept apart from ``soak.py`` (which drives processes and needs Locust's environment) so that
the suite checks it: what "drift" and "growth" mean decides whether a soak passes.

- A **window** is a stretch of the run in seconds since its start. The first is taken after a
  warm-up (the processes import, fill their caches and open their connections then, which is
  not growth); the last ends with the run.
- **Drift** of a latency: p95 of the last window over p95 of the first, minus one (0.10 is
  10 % slower at the end).
- **Growth** of a process group's memory: the median of its resident memory sampled in the
  last window over the median in the first, minus one. Medians, so that one sample taken
  while a document renders does not count as growth.
- The **machine's yardstick**: a fixed piece of CPU work timed in the driver beside the memory
  samples. It is no target; printed beside the drift, it tells a machine that got slower
  (another job started) from a product that did (the yardstick stayed level).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tests.bench.report import quantile


@dataclass(frozen=True)
class Sample:
    """One measurement at ``at`` seconds since the start: a latency (ms) or a memory (MB)."""

    at: float
    name: str
    value: float
    failed: bool = False


@dataclass(frozen=True)
class Windows:
    """The first stretch after the warm-up and the last one, in seconds since the start."""

    first: tuple[float, float]
    last: tuple[float, float]

    @classmethod
    def of(cls, length: float, warmup: float, window: float) -> Windows:
        """Windows of ``window`` seconds in a run of ``length``; they never overlap: a run too
        short for two windows after its warm-up halves what is left."""
        window = min(window, max(length - warmup, 0) / 2)
        return cls((warmup, warmup + window), (length - window, length))


def _within(samples: Iterable[Sample], name: str, span: tuple[float, float]) -> list[float]:
    start, end = span
    return [s.value for s in samples if s.name == name and start <= s.at < end and not s.failed]


@dataclass(frozen=True)
class Change:
    """A figure at the start and at the end of the run, and how much it changed."""

    first: float | None
    last: float | None

    @property
    def ratio(self) -> float | None:
        """``last / first - 1``; None when either window had no sample."""
        if not self.first or self.last is None:
            return None
        return self.last / self.first - 1

    def within(self, limit: float) -> bool:
        """Grew by at most ``limit`` (a fraction); a window without samples does not pass."""
        ratio = self.ratio
        return ratio is not None and ratio <= limit


def _p95(values: list[float]) -> float:
    return quantile(values, 0.95)


def _change(
    samples: list[Sample], name: str, windows: Windows, statistic: Callable[[list[float]], float]
) -> Change:
    first, last = _within(samples, name, windows.first), _within(samples, name, windows.last)
    return Change(statistic(first) if first else None, statistic(last) if last else None)


def latency_drift(samples: list[Sample], name: str, windows: Windows) -> Change:
    """p95 of ``name``'s successful requests in the first and in the last window."""
    return _change(samples, name, windows, _p95)


def memory_growth(samples: list[Sample], group: str, windows: Windows) -> Change:
    """Median resident memory of ``group`` in the first and in the last window."""
    return _change(samples, group, windows, statistics.median)


#: The name of the yardstick's samples (ms of a fixed piece of CPU work).
YARDSTICK = "machine"


def machine_slowdown(samples: list[Sample], windows: Windows) -> Change:
    """Median time of the yardstick in the first and in the last window."""
    return _change(samples, YARDSTICK, windows, statistics.median)


def _by_stretch(
    samples: list[Sample],
    name: str,
    every: float,
    length: float,
    statistic: Callable[[list[float]], float],
) -> list[float | None]:
    stretches: list[list[float]] = [[] for _ in range(max(1, int(-(-length // every))))]
    for sample in samples:
        if sample.name == name and not sample.failed and 0 <= sample.at < length:
            stretches[int(sample.at // every)].append(sample.value)
    return [statistic(values) if values else None for values in stretches]


def timeline(samples: list[Sample], name: str, every: float, length: float) -> list[float | None]:
    """p95 of ``name``'s successful samples in each stretch of ``every`` seconds (None where
    there was none): a drift that comes as one step reads differently from a steady climb."""
    return _by_stretch(samples, name, every, length, _p95)


def memory_timeline(
    samples: list[Sample], group: str, every: float, length: float
) -> list[float | None]:
    """The median memory of ``group`` in each stretch of ``every`` seconds."""
    return _by_stretch(samples, group, every, length, statistics.median)


def failures(samples: list[Sample]) -> dict[str, int]:
    """Failed requests by name (after the run's warm-up as before it: an error is an error)."""
    counts: dict[str, int] = {}
    for sample in samples:
        if sample.failed:
            counts[sample.name] = counts.get(sample.name, 0) + 1
    return counts
