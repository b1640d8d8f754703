"""What every fuzz test of the suite shares: bounded and the same cases on every run."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def bounded(examples: int) -> settings:
    """Hypothesis settings for a fuzz test in CI: ``examples`` cases, derandomized (a failure
    replays on the next run), no deadline (a loaded machine is not a bug), no example database
    (nothing left behind in the checkout), and no health check (the suite's fixtures are slow
    on purpose)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
