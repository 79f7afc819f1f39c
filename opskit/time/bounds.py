"""The bounds of business time: the years of starts, how far an answer looks ahead,
and the longest duration. Every table and every search is bounded by them."""

from __future__ import annotations

import datetime as dt

from opskit.time import zones

EARLIEST = zones.wall_of(dt.date(1970, 1, 1))
LATEST = zones.wall_of(dt.date(2201, 1, 1))  # starts come before
LOOKAHEAD = 3653 * zones.DAY  # ten years
MAX_SECONDS, MAX_BUSINESS_DAYS = 731 * zones.DAY, 522  # what opskit.policy.values allows


def check_start(lo: int, hi: int) -> None:
    if lo < EARLIEST or hi >= LATEST:
        bad = lo if lo < EARLIEST else hi
        raise ValueError(f"{zones.to_datetime(bad):%Y-%m-%d %H:%M} UTC is outside 1970-2200, "
                         "the years business time covers")  # fmt: skip


def check_instant(lo: int, hi: int) -> None:
    """An end or a due date may run past 2200 by the ten years an answer looks ahead."""
    if lo < EARLIEST or hi >= LATEST + LOOKAHEAD:
        bad = lo if lo < EARLIEST else hi
        raise ValueError(f"{zones.to_datetime(bad):%Y-%m-%d %H:%M} UTC is outside 1970-2210")


def check_duration(business_days: int, seconds: int) -> None:
    if not (0 <= business_days <= MAX_BUSINESS_DAYS and 0 <= seconds <= MAX_SECONDS):
        raise ValueError(f"{business_days} business days and {seconds} s: a duration is "
                         "between 0 and two years")  # fmt: skip
