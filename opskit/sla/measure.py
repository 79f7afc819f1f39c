"""One clock's arithmetic: segments, business time counted, deadline and state.

A target becomes a budget of business seconds counted from the clock's start on the tier's
calendar (`4h` is four open hours; `2bd` is the open time from the start to the same point
two working days later). The clock spends its budget only in counting segments and only
while the calendar is open; pauses (the tier's pause statuses, or a resolved spell before
a reopen) hold it. It is breached once more than the budget is spent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opskit.policy.model import Calendar
from opskit.sla.model import Clock, Metric, Segment, SegmentKind, State
from opskit.sla.text import span, when
from opskit.time import business
from opskit.time.duration import Duration

# (start, end or None while it lasts, reason), sorted and disjoint
Pause = tuple[dt.datetime, dt.datetime | None, str]


@dataclass(frozen=True, slots=True)
class Rules:
    """What a clock counts by: the tier's calendar, and how much spent puts it at risk."""

    calendar: Calendar
    at_risk_percent: int


def budget(calendar: Calendar, start: dt.datetime, target: Duration) -> int:
    """The target in business seconds, counted from `start`."""
    return business.working_seconds(calendar, start, business.due(calendar, start, target))


def segments(
    start: dt.datetime, stop: dt.datetime | None, now: dt.datetime, pauses: list[Pause]
) -> list[Segment]:
    """[start, stop or now) cut into counting and paused parts; the last is open (end None)
    when the clock has not stopped."""
    horizon = stop or now
    out: list[Segment] = []
    cursor = start
    for p_start, p_end, reason in pauses:
        a, b = max(p_start, cursor), min(p_end or horizon, horizon)
        if b <= a:
            continue
        if a > cursor:
            out.append(Segment(SegmentKind.COUNTING, cursor, a))
        out.append(Segment(SegmentKind.PAUSED, a, b, reason))
        cursor = b
    if cursor < horizon or not out:
        out.append(Segment(SegmentKind.COUNTING, cursor, horizon))
    if stop is None:
        last = out[-1]
        out[-1] = Segment(last.kind, last.start, None, last.reason)
    return out


def _count(calendar: Calendar, seg: Segment, now: dt.datetime) -> int:
    if seg.kind is not SegmentKind.COUNTING:
        return 0
    return business.working_seconds(calendar, seg.start, seg.end or now)


def measure(
    rules: Rules, metric: Metric, target: Duration, start: dt.datetime,
    stop: dt.datetime | None, now: dt.datetime, pauses: list[Pause], priority: str = "",
) -> Clock:  # fmt: skip
    calendar = rules.calendar
    total = budget(calendar, start, target)
    parts = segments(start, stop, now, pauses)
    elapsed, breach_at = 0, None
    for seg in parts:
        counted = _count(calendar, seg, now)
        if breach_at is None and elapsed + counted > total:
            breach_at = business.due(calendar, seg.start, Duration(seconds=total - elapsed))
        elapsed += counted
    remaining = total - elapsed
    paused = stop is None and parts[-1].kind is SegmentKind.PAUSED
    deadline: dt.datetime | None
    if breach_at is not None:
        deadline = breach_at
    elif paused:
        deadline = None
    else:
        resume = stop or now
        deadline = (
            business.due(calendar, resume, Duration(seconds=remaining)) if remaining else resume
        )
    state = _state(stop, elapsed, total, paused, rules.at_risk_percent)
    clock = Clock(
        metric, target, start, stop, deadline, elapsed, remaining, state, tuple(parts),
        priority=priority, budget=total,
    )  # fmt: skip
    return _with_why(clock, rules.at_risk_percent, parts[-1])


def _state(
    stop: dt.datetime | None, elapsed: int, total: int, paused: bool, at_risk_percent: int
) -> State:
    if stop is not None:
        return State.MET if elapsed <= total else State.BREACHED
    if elapsed > total:
        return State.BREACHED
    if elapsed * 100 >= at_risk_percent * total:
        return State.AT_RISK
    return State.PAUSED if paused else State.RUNNING


def percent(clock: Clock) -> int:
    return clock.elapsed * 100 // clock.budget if clock.budget else 100


def _with_why(clock: Clock, at_risk_percent: int, last: Segment) -> Clock:
    target = f"{clock.target} target"
    used = f"{span(clock.elapsed)} of {span(clock.budget)} business time"
    if clock.state is State.MET:
        why = f"met: {used} used"  # the engine says what met it
    elif clock.state is State.BREACHED and clock.deadline is not None:
        late = "stopped" if clock.stop else "still open"
        why = (
            f"breached at {when(clock.deadline)}, {late} {span(-clock.remaining)} past its {target}"
        )
    elif last.kind is SegmentKind.PAUSED and clock.stop is None:
        why = (f"paused in {last.reason!r} since {when(last.start)}; {used} "
               f"({percent(clock)}%), {span(clock.remaining)} left")  # fmt: skip
    elif clock.state is State.AT_RISK:
        why = (f"{percent(clock)}% of its {target} gone (at risk from {at_risk_percent}%); "
               f"{span(clock.remaining)} left, due {when(clock.deadline or clock.start)}")  # fmt: skip
    else:
        why = f"{used} ({percent(clock)}%); due {when(clock.deadline or clock.start)}"
    return _replace_why(clock, why)


def _replace_why(clock: Clock, why: str) -> Clock:
    from dataclasses import replace

    return replace(clock, why=why)
