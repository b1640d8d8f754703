"""Timing samples and the table every benchmark prints (and judges) at the end."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def percentiles(samples: list[float]) -> str:
    p50, p95, p99 = (quantile(samples, q) * 1000 for q in (0.50, 0.95, 0.99))
    return f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms"


def timed_once(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


@dataclass
class Table:
    """Rows of (what, measured, target, met); ``misses`` says which targets were missed."""

    title: str
    rows: list[tuple[str, str, str, bool | None]] = field(default_factory=list)

    def add(self, what: str, measured: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append((what, measured, target, met))

    @property
    def misses(self) -> list[str]:
        return [f"{what}: {measured} (target {target})" for what, measured, target, met in self.rows
                if met is False]  # fmt: skip

    def render(self) -> str:
        width = max(len(r[0]) for r in self.rows) if self.rows else 10
        lines = [f"\n== {self.title}"]
        for what, measured, target, met in self.rows:
            verdict = {True: "met", False: "MISSED", None: ""}[met]
            aim = f"target {target}" if target else ""
            lines.append(f"  {what:<{width}}  {measured:<44} {aim:<22} {verdict}")
        lines.append(
            f"  => {len(self.misses)} target(s) missed" if self.misses else "  => every target met"
        )
        return "\n".join(lines)


def yardstick_ms() -> float:
    """A fixed piece of pure-Python work, timed: it takes as long as the machine lets it (about
    12 ms on an idle core here), so it slows when another job takes the cores. Printed beside
    figures measured on a shared machine, to read them against the machine's speed that day."""
    started = time.perf_counter()
    total = 0
    for i in range(200_000):
        total += i * i % 7
    return (time.perf_counter() - started) * 1000


def pgbench_tps(server: list[str], seconds: int = 10) -> float | None:
    """pgbench TPC-B (8 clients, 2 threads) on a scratch database; None without pgbench.

    ``server`` holds psql-style options (``-h``, ``-p``, ``-U``). The figure is this machine's
    yardstick for the database: benchmarks report their throughput beside it and as a ratio.
    """
    if not shutil.which("pgbench"):
        return None
    name = "doanravao_pgbench"
    subprocess.run(["dropdb", *server, "--if-exists", name], check=False, capture_output=True)
    subprocess.run(["createdb", *server, name], check=True, capture_output=True)
    try:
        subprocess.run(["pgbench", *server, "-i", "-s", "5", name], check=True, capture_output=True)
        out = subprocess.run(
            ["pgbench", *server, "-c", "8", "-j", "2", "-T", str(seconds), name],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        subprocess.run(["dropdb", *server, "--if-exists", name], check=False, capture_output=True)
    match = re.search(r"tps = ([0-9.]+)", out)
    return float(match.group(1)) if match else None
