"""What ``load`` checks: its inputs (bounded, aware, well-formed) and the limits a person's
load breaks, each with a one-line reason a reader can act on."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from opskit.capacity.pages import Page
from opskit.time.intervals import Span
from opskit.time.zones import DAY, from_datetime

MAX_PAGES = 1_000_000
MAX_SPANS = 1_000_000


@dataclass(frozen=True, slots=True)
class Limits:
    """What the policy allows a person on call; None: no limit."""

    pages_per_shift: int | None = None  # pages in any one shift
    night_pages_per_week: int | None = None  # night pages in any one week
    interrupted_percent: float | None = None  # share of on-call time interrupted, 0..1

    def __post_init__(self) -> None:
        for name in ("pages_per_shift", "night_pages_per_week"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 0):  # fmt: skip
                raise ValueError(f"{name} must be a whole number, 0 or more, not {value!r}")
        share = self.interrupted_percent
        if share is not None and (isinstance(share, bool) or not isinstance(share, int | float)
                                  or not 0 <= share <= 1):  # fmt: skip
            raise ValueError(f"interrupted_percent must be a share from 0 to 1, not {share!r}")


def window(since: dt.datetime, until: dt.datetime) -> tuple[int, int]:
    if since.tzinfo is None or until.tzinfo is None:
        raise ValueError("since and until must be aware datetimes")
    lo, hi = from_datetime(since), from_datetime(until)
    if lo >= hi:
        raise ValueError("since must be before until")
    return lo, hi


def pages_of(pages: Iterable[Page], lo: int, hi: int) -> dict[str, list[tuple[int, int]]]:
    """(start, end) of the pages starting in [lo, hi), by person; a page still open ends at
    `hi`. Nobody's pages are left out."""
    out: dict[str, list[tuple[int, int]]] = {}
    for n, page in enumerate(pages):
        if n >= MAX_PAGES:
            raise ValueError(f"more than {MAX_PAGES} pages: compute a shorter window")
        if page.start.tzinfo is None or (page.end is not None and page.end.tzinfo is None):
            raise ValueError(f"page {page.incident}: its times must be aware")
        start = from_datetime(page.start)
        end = hi if page.end is None else from_datetime(page.end)
        if page.end is not None and end < start:
            raise ValueError(f"page {page.incident}: it ends before it starts")
        if page.person and lo <= start < hi:
            out.setdefault(page.person, []).append((start, end))
    return out


def spans_of(shifts: Mapping[str, Iterable[tuple[int, int]]]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {}
    count = 0
    for person, spans in shifts.items():
        mine = out.setdefault(person, [])
        for start, end in spans:
            count += 1
            if count > MAX_SPANS:
                raise ValueError(f"more than {MAX_SPANS} shifts: compute a shorter window")
            if not all(isinstance(t, int) and not isinstance(t, bool) for t in (start, end)):
                raise ValueError(f"shift of {person!r}: times must be epoch seconds (int)")
            if end <= start:
                raise ValueError(f"shift of {person!r}: it must end after it starts")
            mine.append((start, end))
    return out


def night_of(wall: int, night: tuple[int, int]) -> bool:
    """Whether a wall-clock instant falls in the night hours (wrapping past midnight)."""
    hour = wall % DAY // 3600
    first, last = night
    return first <= hour < last if first < last else hour >= first or hour < last


def _worst(counts: list[int], cap: int | None, what: str, unit: str,
           start: Callable[[int], str]) -> str | None:  # fmt: skip
    """The reason for the worst block over `cap` (the earliest of equals), or None."""
    over = [i for i, c in enumerate(counts) if cap is not None and c > cap]
    if not over:
        return None
    worst = max(over, key=lambda i: (counts[i], -i))
    more = f" ({len(over) - 1} more {unit}s over it)" if len(over) > 1 else ""
    return f"{counts[worst]} {what} in the {unit} starting {start(worst)}, limit {cap}{more}"


def check(limits: Limits, turns: list[Span], counts: list[int], per_week: list[int],
          share: float, oncall: int, lo: int, week: int,
          when: Callable[[int], str]) -> list[tuple[str, str]]:  # fmt: skip
    """(limit, reason) for each limit broken: the worst shift or week, and how many more."""
    out: list[tuple[str, str]] = []
    shift = _worst(counts, limits.pages_per_shift, "pages", "shift", lambda i: when(turns[i][0]))
    if shift:
        out.append(("pages_per_shift", shift))
    night = _worst(per_week, limits.night_pages_per_week, "night pages", "week",
                   lambda i: when(lo + i * week))  # fmt: skip
    if night:
        out.append(("night_pages_per_week", night))
    limit = limits.interrupted_percent
    if limit is not None and oncall and share > limit and not math.isclose(share, limit):
        out.append(("interrupted_percent", f"interrupted {share:.1%} of "
                    f"{oncall / 3600:.1f} on-call hours, limit {limit:.1%}"))  # fmt: skip
    return out
