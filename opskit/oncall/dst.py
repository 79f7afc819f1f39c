"""Where PagerDuty's schedule parts from what a rotation's restrictions mean, on DST days.

A restriction window means local time: `days: [sunday]` is the whole Sunday, even the
25-hour one when the clocks go back. PagerDuty runs each window for its length of real
time from its local start, so that Sunday it stops at 23:00, and on the 23-hour spring
Sunday it runs on until 01:00 on Monday. Both schedules are drawn (holidays aside,
which PagerDuty does not have and the schedule mapping warns about); a restriction is
reported where its two versions differ and the person the policy means to be on call
then is not the one PagerDuty will page: nobody, or someone a neighbouring layer puts
on. Extra time PagerDuty gives where the policy means nobody pages someone, so it is
left alone.

Used by validate (restriction-dst-gap) and fit for plan: pure, no policy checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from opskit.oncall.render import Shift, render
from opskit.oncall.restrictions import Windows, restriction_spans
from opskit.oncall.schedule import renderable
from opskit.policy.model import Restriction, Rotation
from opskit.policy.values import WEEKDAYS
from opskit.time import zones
from opskit.time.intervals import Span, intersect, subtract, total, union

YEAR = "in the next year"


@dataclass(frozen=True, slots=True)
class Miss:
    """A span when the policy means `meant` to be on call and PagerDuty has `actual`."""

    span: Span
    meant: str
    actual: str | None


@dataclass(frozen=True, slots=True)
class DstGap:
    """One restriction whose windows PagerDuty runs differently, and what that costs."""

    layer: int  # index in the rotation's layers
    restriction: int  # index in the layer's restrictions
    misses: list[Miss]  # in order of time
    shown: Miss  # the one `message` describes: the first gap, else the first miss
    early: bool  # PagerDuty ends that window early (else it runs on past its end)
    message: str

    @property
    def seconds(self) -> int:
        return total(m.span for m in self.misses)


def restriction_gaps(rotation: Rotation, lo: int, hi: int, period: str = YEAR) -> list[DstGap]:
    """Restrictions of the rotation that PagerDuty, in [lo, hi), runs differently from
    what they mean in a way that changes who is on call; `period` names [lo, hi) in the
    messages. Clock changes are annual: a year from now is the window to ask about."""
    if not rotation.complete or not renderable(rotation):
        return []
    zone = zones.get(rotation.timezone)
    # a window (at most a day long) can only differ if the clocks change inside it
    near = intersect(
        union((t - 2 * zones.DAY, t + 2 * zones.DAY) for t in zone.changes(lo - zones.DAY, hi)),
        [(lo, hi)],
    )
    parted: list[tuple[int, int, Restriction, list[Span], list[Span]]] = []
    for i, layer in enumerate(rotation.layers):
        for j, r in enumerate(layer.restrictions):
            early: list[Span] = []
            late: list[Span] = []
            for a, b in near:
                meant = restriction_spans(r, zone, a, b, honour_holidays=False, windows=Windows.LOCAL)
                runs = restriction_spans(
                    r, zone, a, b, honour_holidays=False, windows=Windows.PAGERDUTY
                )
                early += subtract(meant, runs)
                late += subtract(runs, meant)
            if early or late:
                parted.append((i, j, r, early, late))
    if not parted:
        return []  # the usual case: no window has a clock change inside it
    # only the days around a difference can page someone else: draw those, not the year
    days = intersect(
        union((a - zones.DAY, b + zones.DAY) for *_, early, late in parted for a, b in early + late),
        [(lo, hi)],
    )
    misses = [
        m
        for a, b in days
        for m in _misses(
            render(rotation, a, b, honour_holidays=False, windows=Windows.LOCAL),
            render(rotation, a, b, honour_holidays=False, windows=Windows.PAGERDUTY),
        )
    ]
    out = []
    for i, j, r, early, late in parted:
        parts = sorted([(s, True) for s in early] + [(s, False) for s in late])
        hit = sorted(
            (
                (Miss(piece, m.meant, m.actual), is_early, part)
                for m in misses
                for part, is_early in parts
                for piece in intersect([m.span], [part])
            ),
            key=lambda h: h[0].span,
        )
        if hit:
            # a gap (nobody paged) is told before someone else being paged
            shown, is_early, around = next((h for h in hit if h[0].actual is None), hit[0])
            found = [m for m, _, _ in hit]
            text = _message(rotation, r, zone, shown, found, is_early, around, period)
            out.append(DstGap(i, j, found, shown, is_early, text))
    return out


def _misses(meant: list[Shift], runs: list[Shift]) -> list[Miss]:
    """Where someone is meant to be on call and PagerDuty has someone else, or nobody."""
    out: list[Miss] = []
    k = 0
    for shift in meant:
        cursor = shift.start
        while k < len(runs) and runs[k].end <= shift.start:
            k += 1
        q = k
        while cursor < shift.end:
            if q < len(runs) and runs[q].start <= cursor:
                end = min(runs[q].end, shift.end)
                if runs[q].person != shift.person:
                    out.append(Miss((cursor, end), shift.person, runs[q].person))
                cursor = end
                q += 1
            else:
                end = min(runs[q].start, shift.end) if q < len(runs) else shift.end
                out.append(Miss((cursor, end), shift.person, None))
                cursor = end
    merged: list[Miss] = []
    for m in out:
        last = merged[-1] if merged else None
        if last and last.span[1] == m.span[0] and (last.meant, last.actual) == (m.meant, m.actual):
            merged[-1] = Miss((last.span[0], m.span[1]), m.meant, m.actual)
        else:
            merged.append(m)
    return merged


def _clock(wall: int) -> str:
    minutes = wall % zones.DAY // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day(wall: int) -> str:
    return zones.to_datetime(wall).strftime("%a %Y-%m-%d")


def _change(zone: zones.Zone, t: int) -> tuple[str, int]:
    """'back' or 'forward', and the instant, of the clock change in the day before t."""
    a, b = t - 26 * 3600, t
    if zone.offset(a) == zone.offset(b):
        return "", t
    back = zone.offset(b) < zone.offset(a)
    while b - a > 1:
        mid = (a + b) // 2
        a, b = (mid, b) if zone.offset(mid) == zone.offset(a) else (a, mid)
    return ("back" if back else "forward"), b


def _end(wall: int, day: int | None = None) -> str:
    """An end on the wall clock: midnight is 24:00 of the day before; another day is named."""
    shown = wall - 1 if wall % zones.DAY == 0 else wall
    text = "24:00" if wall % zones.DAY == 0 else _clock(wall)
    if day is not None and shown // zones.DAY != day:
        text = f"{zones.to_datetime(shown):%a} {text}"
    return text


def _days(days: tuple[int, ...]) -> str:
    return "every day" if len(days) == 7 else ", ".join(WEEKDAYS[d] for d in sorted(days))


def _runs(r: Restriction) -> str:
    if r.calendar is not None:
        return (
            f"PagerDuty runs each working window of calendar {r.calendar.name!r} for its length "
            "of real time from its local start"
        )
    assert r.window is not None
    start, end = r.window
    minutes = (end - start) % 1440 or 1440
    length = f"{minutes // 60}h" + (f"{minutes % 60:02d}m" if minutes % 60 else "")
    return (
        f"PagerDuty runs this window ({_clock(start * 60)}-{_end(end * 60)}, {_days(r.days)}) "
        f"for {length} of real time from its local start"
    )


def _message(
    rotation: Rotation,
    r: Restriction,
    zone: zones.Zone,
    first: Miss,
    hit: list[Miss],
    early: bool,
    around: Span,
    period: str,
) -> str:
    a, b = zone.wall(first.span[0]), zone.wall(first.span[1])
    direction, at = _change(zone, around[0])
    day = zone.wall(at) // zones.DAY
    runs_to, meant_to = (around[0], around[1]) if early else (around[1], around[0])
    when = f"on {_day(zone.wall(at))}, when the clocks go {direction}" if direction else "when the clocks change"
    ends = f"it ends at {_end(zone.wall(runs_to), day)}, not {_end(zone.wall(meant_to), day)}"
    gap = f"{_day(a)} {_clock(a)}–{_end(b, a // zones.DAY)} {rotation.timezone}"
    who = "nobody is on call" if first.actual is None else f"{first.actual} is on call"
    days = len({zone.wall(m.span[0]) // zones.DAY for m in hit})
    count = f"{round(total(m.span for m in hit) / 3600, 1):g}h on {days} day(s) {period}"
    override = f'an override {{person: {first.meant}, start: "{_iso(a)}", end: "{_iso(b)}"}}'
    fix = f"add {override}"
    if early:
        window = f'{{hours: "{_clock(a)}-{_end(b)}", days: [{WEEKDAYS[zones.weekday_of(a)]}]}}'
        fix += f", or lengthen the window that day with a restriction of its own: {window}"
    return f"{_runs(r)}, so {when}, {ends}: {who} {gap}, where the policy means {first.meant} ({count}); {fix}"


def _iso(wall: int) -> str:
    return zones.to_datetime(wall).strftime("%Y-%m-%dT%H:%M")
