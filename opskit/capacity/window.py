"""The window of history demand is measured over: `13w` back from now, a month, a week,
or a range of months (`2026-02..2026-04`, the tax season)."""

from __future__ import annotations

import datetime as dt
import re

from opskit.sla.review import period

_BACK = re.compile(r"^([1-9][0-9]{0,3})([wd])$")
MAX_DAYS = 3 * 366  # three years of history is plenty for a week's pattern


def parse(text: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime, str]:
    """(since, until, label); ValueError with a message for anything else."""
    text = text.strip()
    if found := _BACK.match(text):
        days = int(found[1]) * (7 if found[2] == "w" else 1)
        if days > MAX_DAYS:
            raise ValueError(f"at most {MAX_DAYS} days of history")
        end = now.replace(minute=0, second=0, microsecond=0)
        return end - dt.timedelta(days=days), end, f"the {text} before {end:%Y-%m-%d %H:%M}Z"
    first, sep, last = text.partition("..")
    try:
        a = period.parse(first)
        b = period.parse(last) if sep else a
    except ValueError:
        raise ValueError(
            f"{text[:40]!r} is not a span back from now (13w, 90d), a month (2026-11), an ISO "
            "week (2026-W45) or a range of them (2026-02..2026-04)"
        ) from None
    if b.end <= a.start:
        raise ValueError(f"{text[:40]!r} ends before it starts")
    if (b.end - a.start).days > MAX_DAYS:
        raise ValueError(f"at most {MAX_DAYS} days of history")
    if a.start >= now:
        raise ValueError(f"{a.label} has not begun yet")
    return a.start, min(b.end, now), a.label if not sep else f"{a.label} to {b.label}"
