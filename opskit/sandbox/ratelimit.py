"""Token buckets per API key, refilled continuously, as PagerDuty's per-key limit behaves."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """Whether a request goes ahead under its key's limit, and what the limit headers say."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int


class TokenBucket:
    """``capacity`` requests per ``period`` seconds for each key."""

    def __init__(
        self,
        capacity: int,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity < 1 or period <= 0:
            raise ValueError("capacity must be >= 1 and period > 0")
        self.capacity = capacity
        self.period = period
        self._rate = capacity / period
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> Decision:
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.capacity), now))
            tokens = min(float(self.capacity), tokens + (now - last) * self._rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[key] = (tokens, now)
        missing = max(0.0, 1.0 - tokens) if not allowed else float(self.capacity) - tokens
        reset = max(1, math.ceil(missing / self._rate)) if missing > 0 else 0
        return Decision(allowed, self.capacity, int(tokens), reset)
