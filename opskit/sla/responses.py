"""What starts and stops the response clocks, and what priority changes did to them."""

from __future__ import annotations

import datetime as dt

from opskit.sla.measure import Pause
from opskit.sla.model import Clock, PriorityChange
from opskit.sla.priorities import Life, shifts
from opskit.sla.timeline import Spell

Reply = tuple[dt.datetime, str]  # a public agent comment: when, by whom
Span = tuple[dt.datetime, dt.datetime | None]


def first_response(
    spells: list[Spell], replies: list[Reply], statuses: list[str]
) -> tuple[dt.datetime | None, str]:
    """When the first response came and what it was (None, "" while none has)."""
    found: list[tuple[dt.datetime, str]] = []
    if replies:
        found.append((replies[0][0], f"a public reply by {replies[0][1]}"))
    wanted = {s.casefold() for s in statuses}
    entered = next((s for s in spells[1:] if s.status.casefold() in wanted), None)
    if entered is not None:
        found.append((entered.start, f"entering {entered.status!r}"))
    resolved = next((s for s in spells if s.done), None)
    if resolved is not None:
        found.append((resolved.start, "resolving the ticket"))
    if not found:
        return None, ""
    return min(found, key=lambda f: f[0])


def _done_at(done: list[Span], t: dt.datetime) -> bool:
    return any(a <= t and (b is None or t < b) for a, b in done)


def next_update_cycles(
    first: dt.datetime, replies: list[Reply], done: list[Span]
) -> list[tuple[dt.datetime, dt.datetime | None, str]]:
    """(start, stop or None, what stopped it) for each cycle of the next-update clock."""
    events: list[tuple[dt.datetime, int, str]] = [(t, 0, f"a public reply by {who}")
                                                   for t, who in replies if t > first]  # fmt: skip
    events += [(a, 1, "resolving the ticket") for a, _ in done if a > first]
    events += [(b, 2, "") for _, b in done if b is not None and b > first]
    cycles: list[tuple[dt.datetime, dt.datetime | None, str]] = []
    start = None if _done_at(done, first) else first
    for t, kind, what in sorted(events, key=lambda e: (e[0], e[1])):
        if kind == 2:  # reopened: an update is owed again
            start = start or t
        elif start is not None and t > start:
            cycles.append((start, t, what))
            start = t if kind == 0 else None
    if start is not None:
        cycles.append((start, None, ""))
    return cycles


def pause_list(spells: list[Spell], statuses: list[str]) -> list[Pause]:
    wanted = {s.casefold() for s in statuses}
    return [
        (s.start, s.end, s.status) for s in spells if not s.done and s.status.casefold() in wanted
    ]


def _running(clock: Clock, t: dt.datetime) -> bool:
    return any(c.start < t and (c.stop is None or t <= c.stop) for c in (clock, *clock.earlier))


def priority_effects(life: Life, clocks: list[Clock]) -> tuple[PriorityChange, ...]:
    mode = life.tier.priority_change
    out = []
    for shift in shifts(life.points):
        names = [c.metric.value.replace("_", " ") for c in clocks if _running(c, shift.at)]
        if not names:
            effect = "no clock was running: no effect"
        elif mode == "restart":
            effect = f"restarted {', '.join(names)} at the change on {shift.new.name}'s targets"
        else:
            effect = (
                f"{', '.join(names)} measured against {shift.new.name}'s targets from their start"
            )
        out.append(PriorityChange(shift.at, shift.old.name, shift.new.name, mode, effect))
    return tuple(out)
