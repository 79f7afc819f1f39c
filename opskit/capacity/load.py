"""On-call load per person: how much paging takes of the people on call, against limits.

Pure. Times: pages carry aware datetimes (``pages.Page``); shifts are epoch seconds, as
``opskit.oncall.render`` gives them (``Shift.start``/``end``), keyed by the person's email
like the pages. Only pages that started in [since, until) count, and only their person's:
a page nobody took (person "") is nobody's load and is left out. A page outside every
shift of its person still counts for them (pages, night pages, hours interrupted, project
share), as ``off_shift``; the per-shift figures count only pages inside a shift.

- A shift is one stretch on call: back-to-back or overlapping spans are one, clipped to
  the window. A page belongs to the shift it started in.
- A night page starts between `night` hours (22 to 7 by default) on the person's own clock.
  Weeks are 168-hour blocks from `since`; the per-week mean divides by the window's
  length in such weeks (a window across a clock change is an hour off), the limit looks
  at the worst block.
- Hours interrupted: the union of the pages' [start, end], each at least 15 minutes (an
  interruption costs that much however quickly it is closed), one still open running to
  `until`, clipped to the window. `interrupted_share` is the part inside their shifts over
  their on-call time (0 without on-call time).
- Project share: 1 - hours interrupted / (40 working hours a week x the window's weeks),
  never below 0. Night interruptions count too: the sleep lost comes out of the next day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from opskit.capacity.load_checks import Limits, check, night_of, pages_of, spans_of, window
from opskit.capacity.pages import Page
from opskit.time.intervals import Span, intersect, total, union
from opskit.time.zones import get, to_datetime

__all__ = ["Breach", "Limits", "PersonLoad", "load"]
WEEK = 7 * 86_400
WORK_HOURS_A_WEEK = 40
MIN_INTERRUPTION = 15 * 60


class Breach(NamedTuple):
    limit: str  # the Limits field broken
    reason: str  # one line, e.g. "5 pages in the shift starting 2026-10-05 09:00 Europe/Berlin, limit 3"


@dataclass(frozen=True, slots=True)
class PersonLoad:
    """One person's on-call load over the window, and the limits it broke."""

    person: str  # email
    zone: str  # their IANA zone
    shifts: int
    oncall_hours: float
    pages: int  # every page of theirs in the window, on shift or off
    off_shift: int  # of those, the ones outside all their shifts
    most_in_shift: int
    per_shift: float  # pages inside shifts / shifts; 0.0 without a shift
    night_pages: int
    night_per_week: float
    interrupted_hours: float
    interrupted_share: float  # of on-call time, 0..1
    project_share: float  # 0..1
    broken: tuple[Breach, ...]


def _when(t: int, zone: str) -> str:
    return f"{to_datetime(t).astimezone(get(zone).tz):%Y-%m-%d %H:%M} {zone}"


def _person(email: str, zone: str, starts: list[tuple[int, int]], spans: list[Span],
            lo: int, hi: int, limits: Limits, night: tuple[int, int]) -> PersonLoad:  # fmt: skip
    turns = [(max(a, lo), min(b, hi)) for a, b in union(spans) if a < hi and b > lo]
    first = [s for s, _ in starts]  # sorted
    counts = [bisect_left(first, b) - bisect_left(first, a) for a, b in turns]
    inside = sum(counts)
    local = get(zone)
    nights = [s for s, _ in starts if night_of(local.wall(s), night)]
    per_week = [0] * max(1, -(-(hi - lo) // WEEK))
    for s in nights:
        per_week[(s - lo) // WEEK] += 1
    interrupted = union((s, min(max(e, s + MIN_INTERRUPTION), hi)) for s, e in starts)
    oncall = total(turns)
    weeks = (hi - lo) / WEEK
    busy = total(interrupted)
    share = total(intersect(interrupted, turns)) / oncall if oncall else 0.0
    broken = check(limits, turns, counts, per_week, share, oncall, lo, WEEK,
                   lambda t: _when(t, zone))  # fmt: skip
    return PersonLoad(email, zone, len(turns), oncall / 3600, len(starts), len(starts) - inside,
                      max(counts, default=0), inside / len(turns) if turns else 0.0, len(nights),
                      len(nights) / weeks, busy / 3600, share,
                      max(0.0, 1 - busy / (WORK_HOURS_A_WEEK * 3600 * weeks)),
                      tuple(Breach(*b) for b in broken))  # fmt: skip


def load(pages: Iterable[Page], shifts: Mapping[str, Iterable[tuple[int, int]]],
         zones: Mapping[str, str], since: dt.datetime, until: dt.datetime, limits: Limits,
         night: tuple[int, int] = (22, 7)) -> list[PersonLoad]:  # fmt: skip
    """Each person's load over [since, until), by email: everyone with a shift or a page.

    `shifts`: email -> on-call spans (epoch seconds); `zones`: email -> IANA zone (needed
    for everyone listed). ValueError for naive times, an unknown zone, a bad span or
    night, or more than ``load_checks.MAX_PAGES`` pages."""
    lo, hi = window(since, until)
    if len(night) != 2 or not all(isinstance(h, int) and 0 <= h <= 23 for h in night):
        raise ValueError(f"night must be two hours 0..23, not {night!r}")
    if night[0] == night[1]:
        raise ValueError("night must start and end at different hours")
    mine = pages_of(pages, lo, hi)
    spans = spans_of(shifts)
    out = []
    for email in sorted(set(mine) | set(spans)):
        if email not in zones:
            raise ValueError(f"no time zone for {email!r}")
        out.append(_person(email, zones[email], sorted(mine.get(email, [])),
                           spans.get(email, []), lo, hi, limits, night))  # fmt: skip
    return out
