"""What every benchmark shares: timing with warm-up and medians, peak memory, versions.

Conventions (docs/development.md): timings in seconds under keys ending ``_median_s``, ``_min_s``
and ``_max_s``; ratios against a reference measured in the same run end in ``_ratio`` (reference
time / our time, bigger is better); ``peak_rss_mb`` from ``resource.getrusage``; the sizes and
settings that produced the figures; the versions of Python, numpy and OR-Tools.
"""

import importlib.metadata
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable


def progress(message: str) -> None:
    """Progress goes to stderr so that ``--json`` leaves exactly one object on stdout."""
    print(message, file=sys.stderr, flush=True)


def time_runs(function: Callable[[], object], *, runs: int = 5, warmup: int = 1) -> list[float]:
    """Call ``function`` ``warmup`` times untimed, then ``runs`` times; return the seconds of each."""
    for _ in range(warmup):
        function()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return seconds


def timing_figures(prefix: str, seconds: list[float]) -> dict[str, float]:
    return {
        f"{prefix}_median_s": round(statistics.median(seconds), 6),
        f"{prefix}_min_s": round(min(seconds), 6),
        f"{prefix}_max_s": round(max(seconds), 6),
        f"{prefix}_runs": len(seconds),
    }


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def environment() -> dict[str, str | None]:
    return {
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "ortools": _version("ortools"),
        "machine": platform.machine(),
    }
