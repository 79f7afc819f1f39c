"""Wall clock <-> UTC for a time zone, as integer seconds, from a table of transitions.

`datetime` with `zoneinfo` is exact but slow in bulk; the table gives the same
answers (fold=0: an ambiguous or skipped wall time takes the offset in force
before the change, as PagerDuty and Python do) at the cost of a bisect.
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_right
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY = 86_400
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_YEAR = 31_556_952  # mean Gregorian year in seconds
_MIN_YEAR, _MAX_YEAR = 1971, 9998


def wall_of(day: dt.date, minutes: int = 0) -> int:
    """The wall-clock instant `minutes` after midnight of `day`."""
    return (day.toordinal() - _EPOCH_ORDINAL) * DAY + minutes * 60


def date_of(wall: int) -> dt.date:
    return dt.date.fromordinal(wall // DAY + _EPOCH_ORDINAL)


def weekday_of(wall: int) -> int:
    """0 = Monday, like `date.weekday()`; 1970-01-01 was a Thursday."""
    return (wall // DAY + 3) % 7


def to_datetime(t: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, dt.UTC)


def from_datetime(value: dt.datetime) -> int:
    if value.tzinfo is None:
        raise ValueError("naive datetime: give a time zone")
    return int(value.timestamp())


@functools.cache
def parse_instant(text: object) -> dt.datetime | None:
    """An ISO 8601 instant as an API writes it (``Z`` or an offset; none reads as UTC), in
    UTC; None for anything else, so one bad field never stops a report."""
    if not isinstance(text, str):
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def zone(name: str) -> ZoneInfo:
    """An IANA zone; ValueError for unknown names (and for paths smuggled in as names)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{name!r} is not an IANA time zone") from None


class Zone:
    """One IANA zone; covers the years asked for, extending its table on demand."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tz = zone(name)
        self._years = (0, -1)
        self._instants: list[int] = []
        self._offsets: list[int] = [0]
        self._thresholds: list[int] = []

    def _offset_at(self, t: int) -> int:
        offset = dt.datetime.fromtimestamp(t, self.tz).utcoffset()
        return int(offset.total_seconds()) if offset else 0

    def _cover(self, t: int) -> None:
        year = min(max(1970 + t // _YEAR, _MIN_YEAR), _MAX_YEAR)
        lo, hi = self._years
        if lo <= year <= hi:
            return
        lo, hi = (year - 1, year + 1) if lo > hi else (min(lo, year - 1), max(hi, year + 1))
        lo, hi = max(lo, _MIN_YEAR - 1), min(hi, _MAX_YEAR)
        self._build(lo, hi)

    def _build(self, lo: int, hi: int) -> None:
        begin = wall_of(dt.date(lo, 1, 1)) - DAY
        end = wall_of(dt.date(hi, 12, 31)) + DAY
        instants: list[int] = []
        offsets = [self._offset_at(begin)]
        t = begin
        while t < end:
            step = min(t + DAY, end)
            after = self._offset_at(step)
            if after != offsets[-1]:
                a, b = t, step  # offset(a) is the old one, offset(b) the new
                while b - a > 1:
                    mid = (a + b) // 2
                    a, b = (mid, b) if self._offset_at(mid) == offsets[-1] else (a, mid)
                instants.append(b)
                offsets.append(after)
            t = step
        self._years, self._instants, self._offsets = (lo, hi), instants, offsets
        self._thresholds = [
            instant + max(offsets[i], offsets[i + 1]) for i, instant in enumerate(instants)
        ]

    def wall(self, t: int) -> int:
        """The local wall-clock reading at UTC instant `t`."""
        self._cover(t)
        return t + self._offsets[bisect_right(self._instants, t)]

    def utc(self, wall: int) -> int:
        """The UTC instant of wall time `wall` (fold=0 for ambiguous and skipped times)."""
        self._cover(wall)
        return wall - self._offsets[bisect_right(self._thresholds, wall)]

    def offset(self, t: int) -> int:
        return self.wall(t) - t

    def changes(self, lo: int, hi: int) -> list[int]:
        """The instants in [lo, hi) at which the offset changes (DST begins or ends)."""
        if lo >= hi:
            return []
        self._cover(lo)
        self._cover(hi)
        return [t for t in self._instants if lo <= t < hi]


@functools.cache
def get(name: str) -> Zone:
    return Zone(name)
