"""Timings and their summary: the median and 95th percentile of repeated runs."""

import math
import statistics
import time
from dataclasses import dataclass

REQUESTS = 30


def percentile(timings: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest timing at or above `share` of the runs, so the
    95th of 30 runs is the 29th fastest, a run that really happened."""
    if not timings:
        raise ValueError("No timings to summarise")
    ordered = sorted(timings)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    runs: int
    median_ms: float
    p95_ms: float

    @classmethod
    def of(cls, timings: list[float]) -> "Summary":
        return cls(
            runs=len(timings),
            median_ms=statistics.median(timings),
            p95_ms=percentile(timings, 0.95),
        )


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def repeat(action, runs: int = REQUESTS, warm_up: int = 1) -> list[float]:
    """Milliseconds for each of `runs` calls, after `warm_up` calls that are not counted (the
    first pays for imports, template loading and a cold cache)."""
    for _ in range(warm_up):
        action()
    return [timed(action) for _ in range(runs)]
