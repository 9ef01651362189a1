"""Timing shared by the benchmarks: the median wall time of repeated calls."""

from __future__ import annotations

import statistics
import time

__all__ = ["median_time"]


def median_time(fn, repeat: int) -> float:
    """The median wall time of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)
