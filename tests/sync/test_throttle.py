"""Pacing and retry decisions, on a fake clock: no real sleeping."""

from __future__ import annotations

import random

from opskit.sync.throttle import RateLimiter, RetryPolicy, should_retry


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_limiter_paces_to_the_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=600, clock=clock, sleep=clock.sleep)
    start = clock.now
    for _ in range(150):
        limiter.acquire()
    # a burst of five seconds' worth (50) then 10 a second: 150 requests need about 10 seconds
    assert 9.5 <= clock.now - start <= 10.5
    for _ in range(600):
        limiter.acquire()
    # sustained, the rate holds: 600 more take a minute
    assert 69.5 <= clock.now - start <= 70.5


def test_limiter_waits_out_a_429_reset_hint() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=6000, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    hint = limiter.observe(
        429, {"ratelimit-limit": "960", "ratelimit-remaining": "0", "ratelimit-reset": "7"}
    )
    assert hint == 7
    before = clock.now
    limiter.acquire()
    assert clock.now - before >= 7


def test_a_429_with_quota_left_is_not_a_reason_to_wait_for_the_reset() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=6000, clock=clock, sleep=clock.sleep)
    assert (
        limiter.observe(
            429, {"ratelimit-limit": "960", "ratelimit-remaining": "400", "ratelimit-reset": "50"}
        )
        is None
    )


def test_limiter_honours_retry_after() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=6000, clock=clock, sleep=clock.sleep)
    assert limiter.observe(429, {"Retry-After": "3"}) == 3
    before = clock.now
    limiter.acquire()
    assert clock.now - before >= 3


def test_limiter_slows_to_the_servers_stated_limit() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=6000, clock=clock, sleep=clock.sleep)
    limiter.observe(
        200, {"ratelimit-limit": "960", "ratelimit-remaining": "900", "ratelimit-reset": "60"}
    )
    assert limiter.per_minute == 960


def test_retry_delays_are_bounded_and_respect_hints() -> None:
    policy = RetryPolicy(attempts=6, base=0.5, cap=4.0)
    rng = random.Random(1)
    delays = [policy.delay(attempt, None, rng) for attempt in range(50)]
    assert all(0 <= d <= 4.0 for d in delays)
    assert policy.delay(0, 9.0, rng) == 9.0


def test_only_safe_requests_are_sent_again_after_unclear_failures() -> None:
    assert should_retry("POST", 429)  # refused outright: nothing happened
    assert not should_retry("POST", 502)  # may have been carried out
    assert not should_retry("POST", None)
    assert should_retry("PUT", 503) and should_retry("GET", None) and should_retry("DELETE", 500)
    assert not should_retry("GET", 404) and not should_retry("PUT", 400)
