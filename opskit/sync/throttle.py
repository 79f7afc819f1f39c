"""Be kind to rate limits: pace requests, honour the server's hints, retry within bounds.

The vendor clients' own retry loops are switched off where they would retry
without end or ignore the server's reset time; this module decides instead.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

BURST_SECONDS = 5.0
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
# Methods that can be sent again after an unclear failure without doing twice what they do.
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


def _number(headers: Mapping[str, str], *names: str) -> float | None:
    for name in names:
        value = headers.get(name)
        if value is None:
            continue
        try:
            return float(value)
        except ValueError:
            continue
    return None


@dataclass(slots=True)
class RateLimiter:
    """A token bucket for one account, corrected by what the server says is left."""

    per_minute: float = 900.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _tokens: float = field(default=-1.0, init=False)
    _stamp: float = field(default=0.0, init=False)
    _not_before: float = field(default=0.0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    waited: float = field(default=0.0, init=False)

    def acquire(self) -> None:
        with self._lock:
            now = self.clock()
            rate = self.per_minute / 60.0
            # Quotas are per minute: a short burst (a plan's few dozen reads) is fine as
            # long as the minute's total stays under the limit.
            capacity = max(rate * BURST_SECONDS, 1.0)
            if self._tokens < 0:
                self._tokens, self._stamp = capacity, now
            self._tokens = min(self._tokens + (now - self._stamp) * rate, capacity)
            self._stamp = now
            wait = max(
                self._not_before - now, (1 - self._tokens) / rate if self._tokens < 1 else 0.0
            )
            if wait > 0:
                self.waited += wait
                self.sleep(wait)
                self._tokens += wait * rate
                self._stamp = self.clock()
            self._tokens -= 1

    def observe(self, status: int, headers: Mapping[str, str]) -> float | None:
        """Learn from a response; returns how long the server asked us to wait, if it did."""
        lowered = {k.lower(): v for k, v in headers.items()}
        # PagerDuty states its limit per minute; Jira's X-RateLimit-Limit counts other
        # units, so only its remaining/reset figures are used, as hints.
        limit = _number(lowered, "ratelimit-limit")
        remaining = _number(lowered, "ratelimit-remaining", "x-ratelimit-remaining")
        reset = _number(lowered, "ratelimit-reset", "x-ratelimit-reset")
        retry_after = _number(lowered, "retry-after")
        with self._lock:
            if limit:
                self.per_minute = min(self.per_minute, limit)
            # Wait for the window to reset only when the quota is really spent; a 429
            # with quota left is a passing refusal, met with jittered backoff.
            hint = retry_after
            if remaining is not None and remaining <= 0 and reset is not None:
                hint = max(hint or 0.0, reset)
            if hint is not None:
                self._not_before = max(self._not_before, self.clock() + hint)
            return hint


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a refused request is retried: attempts, and full-jitter backoff to a cap."""

    attempts: int = 6
    base: float = 0.25
    cap: float = 20.0

    def delay(self, attempt: int, hint: float | None, rng: random.Random) -> float:
        """Full jitter, never shorter than what the server asked for."""
        jitter = rng.uniform(0, min(self.cap, self.base * 2**attempt))
        return max(hint or 0.0, jitter)


def should_retry(method: str, status: int | None) -> bool:
    """status None means the connection failed before an answer came."""
    if status == 429:
        return True  # refused before doing anything
    if status is None or status in RETRYABLE_STATUS:
        return method.upper() in IDEMPOTENT
    return False
