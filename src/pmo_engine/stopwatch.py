"""Time limits: the one place the engine reads a clock.

Solvers stop searching when their time is up and report how long they took; no result is computed
from the time of day. Everything else in the engine is a function of its inputs (and seeds).
"""

import time


class Stopwatch:
    """Seconds elapsed since it was made (a monotonic clock, unaffected by changes of the time of day)."""

    def __init__(self) -> None:
        self._began = time.monotonic()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self._began

    def left(self, limit: float) -> float:
        """Seconds left of ``limit``, never below 0."""
        return max(limit - self.seconds, 0.0)
