"""Business time over one calendar, for one instant or a million: `business_time(calendar)`.

Instants are int64 POSIX seconds. Starts lie in 1970-2200 and an answer looks at most
ten years past its start, so every table is bounded; both are checked here, once.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from opskit.time import business_batch as batch
from opskit.time import business_scalar as scalar
from opskit.time import zones
from opskit.time.bounds import LOOKAHEAD, check_duration, check_instant, check_start
from opskit.time.calendars import Calendar
from opskit.time.coverage import Coverage
from opskit.time.duration import Duration
from opskit.time.intervals import Span
from opskit.time.open_table import Int64s, Lists, OpenTable, Uncovered

T = TypeVar("T")
_FIRST_LOOK = 366 * zones.DAY  # then four times as far, up to LOOKAHEAD


class BusinessTime:
    """One calendar's business time; its open spans are built as far as asked, once."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.always_open = calendar.always_open
        self._coverage = Coverage(calendar)

    def _ahead(self, lo: int, hi: int, answer: Callable[[OpenTable], T]) -> T:
        """`answer` on a table from `lo` to a year past `hi`, grown up to ten years past."""
        ahead = _FIRST_LOOK
        while True:
            table = self._coverage.covering(lo, hi + ahead)
            try:
                return answer(table)
            except Uncovered:
                if ahead >= LOOKAHEAD:
                    raise self._too_little(table, lo) from None
                ahead = min(4 * ahead, LOOKAHEAD)

    def _too_little(self, table: OpenTable, lo: int) -> ValueError:
        name = self.calendar.name
        if not np.any(table.end > lo):
            return ValueError(f"calendar {name!r} has no working hours in ten years")
        return ValueError(f"calendar {name!r} has not that much working time in the ten "
                          f"years after {zones.to_datetime(lo):%Y-%m-%d}")  # fmt: skip

    def _lists(self, lo: int, hi: int) -> Lists:
        return self._coverage.covering(lo, hi).lists()

    # one instant at a time

    def due(self, t: int, duration: Duration) -> int:
        """When a target of `duration` started at `t` falls due."""
        days, seconds = duration.business_days, duration.seconds
        check_start(t, t)
        check_duration(days, seconds)
        if self.always_open:
            return t + days * zones.DAY + seconds

        def answer(table: OpenTable) -> int:
            lists = table.lists()
            return scalar.add_seconds(lists, scalar.add_business_days(lists, t, days), seconds)

        return self._ahead(t, t, answer)

    def elapsed(self, a: int, b: int) -> int:
        """Working seconds from `a` to `b` (0 if b is not after a)."""
        check_instant(min(a, b), max(a, b))
        if self.always_open or b <= a:
            return max(b - a, 0)
        lists = self._lists(a, b)
        return scalar.worked_before(lists, b) - scalar.worked_before(lists, a)

    def business_days(self, a: int, b: int) -> int:
        """Business days elapsed from `a` to `b`: the most N with due(a, N bd) <= b."""
        check_start(a, a)
        check_instant(b, b)
        if b <= a:
            return 0
        if self.always_open:
            return (b - a) // zones.DAY
        return self._ahead(a, b, lambda table: scalar.business_days_between(table.lists(), a, b))

    def is_open(self, t: int) -> bool:
        check_instant(t, t)
        return self.always_open or scalar.is_open(self._lists(t, t), t)

    def next_open(self, t: int) -> int:
        """`t` if open then, else the next opening."""
        check_start(t, t)
        if self.always_open:
            return t
        return self._ahead(t, t, lambda table: scalar.next_open(table.lists(), t))

    def open_spans(self, lo: int, hi: int) -> list[Span]:
        """The open spans inside [lo, hi), in order (adjacent ones not merged)."""
        check_instant(lo, hi)
        if hi <= lo:
            return []
        if self.always_open:
            return [(lo, hi)]
        lists = self._lists(lo, hi)
        first, last = bisect_right(lists.end, lo), bisect_left(lists.start, hi)
        return [(max(lo, lists.start[i]), min(hi, lists.end[i])) for i in range(first, last)]

    # many at once

    def due_many(self, starts: npt.ArrayLike, duration: Duration) -> Int64s:
        """`due` for every start, one duration for all."""
        return self.due_each(starts, duration.business_days, duration.seconds)

    def due_each(
        self, starts: npt.ArrayLike, business_days: npt.ArrayLike, seconds: npt.ArrayLike
    ) -> Int64s:
        """`due` for every start, with its own business days and seconds (or one for all)."""
        t = np.asarray(starts, dtype=np.int64)
        days, secs = np.asarray(business_days, np.int64), np.asarray(seconds, np.int64)
        if not t.size:
            return t.copy()
        check_start(int(t.min()), int(t.max()))
        check_duration(int(days.min(initial=0)), int(secs.min(initial=0)))
        check_duration(int(days.max(initial=0)), int(secs.max(initial=0)))
        if self.always_open:
            return t + days * zones.DAY + secs

        return self._ahead(
            int(t.min()), int(t.max()), lambda table: batch.due(table, t, days, secs)
        )

    def elapsed_many(self, a: npt.ArrayLike, b: npt.ArrayLike) -> Int64s:
        """`elapsed` for every pair."""
        starts, ends = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        if not starts.size:
            return np.zeros_like(starts)
        lo = min(int(starts.min()), int(ends.min()))
        hi = max(int(starts.max()), int(ends.max()))
        check_instant(lo, hi)
        if self.always_open:
            spans: Int64s = np.maximum(ends - starts, 0)
            return spans
        return batch.elapsed(self._coverage.covering(lo, hi), starts, ends)


_KEPT = 64  # calendars whose tables are kept: a policy set has a handful
_cache: OrderedDict[int, tuple[Calendar, BusinessTime]] = OrderedDict()
_cache_lock = threading.Lock()  # the sandbox and the SLA engine ask from threads


def business_time(calendar: Calendar) -> BusinessTime:
    """The calendar's business time, kept per calendar object (by identity: the entry
    holds the calendar, so its id stays its own), the least recently used dropped."""
    key = id(calendar)
    with _cache_lock:
        kept = _cache.get(key)
        if kept is None:
            kept = _cache[key] = (calendar, BusinessTime(calendar))
            if len(_cache) > _KEPT:
                _cache.popitem(last=False)
        else:
            _cache.move_to_end(key)
        return kept[1]
