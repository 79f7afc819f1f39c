"""One ticket's timeline for `sla show`: clocks, segments, closed periods, priority changes.

The document (`show_document`, also what the text view is drawn from): `version`, `now`,
`ticket` (as in `sla status`, plus `calendar`, `timezone`, `created`, `updated`), either
`untracked` (the reason) or `clocks` (each as `opskit.sla.report.clock_json`, plus
`deadline_local` in the calendar's zone, `closed_periods` inside the clock's life
(`start`, `end`, `reason`: a holiday's name, "weekend", "night" or "outside working
hours"; at most `MAX_CLOSED`, `closed_truncated` says when more), and `earlier` cycles),
and `priority_changes` (`at`, `old`, `new`, `mode`, `effect`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opskit.policy.model import Calendar
from opskit.sla.engine import Untracked
from opskit.sla.model import Clock, Ticket
from opskit.sla.report import VERSION, clock_json, ticket_head
from opskit.sla.text import iso
from opskit.time import business, zones

MAX_CLOSED = 100


def _label(calendar: Calendar, start: dt.datetime, end: dt.datetime, reason: str) -> str:
    if reason != business.OUTSIDE_HOURS:
        return reason
    tz = zones.zone(calendar.timezone)
    a, b = start.astimezone(tz), end.astimezone(tz)
    days = {(a + dt.timedelta(days=n)).weekday() for n in range((b - a).days + 1)}
    if end - start >= dt.timedelta(hours=24) and days & {5, 6}:
        return "weekend"
    midnight = a.date() != b.date() or (a.hour, a.minute) == (0, 0)
    return "night" if midnight else reason


def closed_periods(calendar: Calendar, clock: Clock, now: dt.datetime) -> list[dict[str, Any]]:
    end = clock.stop or now
    found = business.closed_periods(calendar, clock.start, end) if end > clock.start else []
    return [
        {"start": iso(a), "end": iso(b), "reason": _label(calendar, a, b, reason)}
        for a, b, reason in found
    ]


def _clock(calendar: Calendar, clock: Clock, now: dt.datetime) -> dict[str, Any]:
    closed = closed_periods(calendar, clock, now)
    local = clock.deadline.astimezone(zones.zone(calendar.timezone)) if clock.deadline else None
    return clock_json(clock, now) | {
        "deadline_local": local.isoformat() if local else None,
        "closed_periods": closed[:MAX_CLOSED],
        "closed_truncated": len(closed) > MAX_CLOSED,
        "earlier": [clock_json(e, now) for e in clock.earlier],
    }


def show_document(
    result: Ticket | Untracked, calendar: Calendar | None, now: dt.datetime
) -> dict[str, Any]:
    if isinstance(result, Untracked):
        head = {"ticket": result.key, "summary": result.summary, "status": result.status}
        return {"version": VERSION, "now": iso(now), "ticket": head, "untracked": result.reason}
    assert calendar is not None
    head = ticket_head(result) | {
        "calendar": result.calendar, "timezone": result.timezone,
        "created": iso(result.created), "updated": iso(result.updated),
    }  # fmt: skip
    return {
        "version": VERSION, "now": iso(now), "ticket": head,
        "clocks": [_clock(calendar, c, now) for c in result.clocks],
        "priority_changes": [
            {"at": iso(p.at), "old": p.old, "new": p.new, "mode": p.mode, "effect": p.effect}
            for p in result.priority_changes
        ],
    }  # fmt: skip
