"""PagerDuty schedule rendering, kept free of HTTP and storage so it can be tested alone and
used as the reference for opskit's own renderer.

Semantics (as PagerDuty documents them):
- A layer's turn ``k`` starts at ``rotation_virtual_start + k * rotation_turn_length_seconds``
  and belongs to ``users[k mod len(users)]``; ``k`` may be negative, so a layer can start in the
  middle of the rotation. Turn boundaries are counted in wall-clock time of the schedule's
  time zone, so a daily 09:00 handoff stays at 09:00 across daylight-saving changes.
- A layer only covers ``[start, end)``.
- Restrictions limit a turn to windows (``daily_restriction``: each day from
  ``start_time_of_day`` for ``duration_seconds``; ``weekly_restriction``: from
  ``start_day_of_week`` 1=Monday..7=Sunday) in the schedule's time zone; a turn is not
  stretched to fill them.
- Layers later in the list take precedence where they cover; their gaps let lower layers
  show through. Overrides sit on top of everything. Time nobody covers is a gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Restriction:
    """A PagerDuty layer restriction: a daily or weekly window turns are limited to."""

    type: str
    start_time_of_day: time
    duration_seconds: int
    start_day_of_week: int | None = None


@dataclass(frozen=True)
class Layer:
    """A PagerDuty schedule layer: users taking turns of a fixed length from a virtual start."""

    start: datetime
    rotation_virtual_start: datetime
    rotation_turn_length_seconds: int
    users: tuple[str, ...]
    end: datetime | None = None
    restrictions: tuple[Restriction, ...] = ()


@dataclass(frozen=True)
class Override:
    """A PagerDuty override: `user` on call from `start` to `end`, above every layer."""

    user: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Entry:
    """A stretch of the rendered schedule: who is on call from `start` to `end`."""

    user: str
    start: datetime
    end: datetime


def _wall(t: datetime, tz: ZoneInfo) -> datetime:
    return t.astimezone(tz).replace(tzinfo=None)


def _aware(wall: datetime, tz: ZoneInfo) -> datetime:
    return wall.replace(tzinfo=tz).astimezone(UTC)


def _turn_start(layer: Layer, tz: ZoneInfo, k: int) -> datetime:
    origin = _wall(layer.rotation_virtual_start, tz)
    return _aware(origin + timedelta(seconds=k * layer.rotation_turn_length_seconds), tz)


def _turn_index(layer: Layer, tz: ZoneInfo, t: datetime) -> int:
    elapsed = (_wall(t, tz) - _wall(layer.rotation_virtual_start, tz)).total_seconds()
    k = int(elapsed // layer.rotation_turn_length_seconds)
    while _turn_start(layer, tz, k) > t:
        k -= 1
    while _turn_start(layer, tz, k + 1) <= t:
        k += 1
    return k


def _windows(
    r: Restriction, tz: ZoneInfo, a: datetime, b: datetime
) -> Iterator[tuple[datetime, datetime]]:
    span = timedelta(seconds=r.duration_seconds)
    first = _wall(a, tz).date() - timedelta(days=8)
    day: date = first
    last = _wall(b, tz).date()
    while day <= last:
        if r.type == "daily_restriction" or day.isoweekday() == r.start_day_of_week:
            start = _aware(datetime.combine(day, r.start_time_of_day), tz)
            if start < b and start + span > a:
                yield max(start, a), min(start + span, b)
        day += timedelta(days=1)


def _restrict(
    layer: Layer, tz: ZoneInfo, a: datetime, b: datetime
) -> list[tuple[datetime, datetime]]:
    if not layer.restrictions:
        return [(a, b)]
    spans = sorted(w for r in layer.restrictions for w in _windows(r, tz, a, b))
    return _union(spans)


def _union(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    out: list[tuple[datetime, datetime]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def merge(entries: Iterable[Entry]) -> list[Entry]:
    """Sort and join back-to-back entries of the same user."""
    out: list[Entry] = []
    for e in sorted(entries, key=lambda x: (x.start, x.end)):
        if out and out[-1].user == e.user and out[-1].end == e.start:
            out[-1] = Entry(e.user, out[-1].start, e.end)
        else:
            out.append(e)
    return out


def render_layer(layer: Layer, tz: ZoneInfo, since: datetime, until: datetime) -> list[Entry]:
    """Who the layer puts on call in ``[since, until)``."""
    lo = max(since, layer.start)
    hi = min(until, layer.end) if layer.end else until
    if lo >= hi or not layer.users or layer.rotation_turn_length_seconds <= 0:
        return []
    entries: list[Entry] = []
    k = _turn_index(layer, tz, lo)
    while True:
        turn_a, turn_b = _turn_start(layer, tz, k), _turn_start(layer, tz, k + 1)
        if turn_a >= hi:
            break
        a, b = max(turn_a, lo), min(turn_b, hi)
        user = layer.users[k % len(layer.users)]
        entries.extend(Entry(user, s, e) for s, e in _restrict(layer, tz, a, b) if s < e)
        k += 1
    return merge(entries)


def _paint(timeline: list[Entry], new: Entry) -> list[Entry]:
    out: list[Entry] = []
    for e in timeline:
        if e.end <= new.start or e.start >= new.end:
            out.append(e)
            continue
        if e.start < new.start:
            out.append(Entry(e.user, e.start, new.start))
        if e.end > new.end:
            out.append(Entry(e.user, new.end, e.end))
    out.append(new)
    return out


def render_final(
    layers: Sequence[Layer],
    overrides: Sequence[Override],
    tz: ZoneInfo,
    since: datetime,
    until: datetime,
) -> list[Entry]:
    """The final schedule: layers painted lowest first, then overrides."""
    timeline: list[Entry] = []
    for layer in layers:
        for entry in render_layer(layer, tz, since, until):
            timeline = _paint(timeline, entry)
    for o in overrides:
        a, b = max(o.start, since), min(o.end, until)
        if a < b:
            timeline = _paint(timeline, Entry(o.user, a, b))
    return merge(timeline)


def coverage_percentage(entries: Sequence[Entry], since: datetime, until: datetime) -> float:
    total = (until - since).total_seconds()
    if total <= 0:
        return 0.0
    covered = sum((e.end - e.start).total_seconds() for e in entries)
    return round(100.0 * covered / total, 2)


def parse_dt(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def restriction_from_api(data: dict[str, Any]) -> Restriction:
    return Restriction(
        type=str(data["type"]),
        start_time_of_day=time.fromisoformat(str(data["start_time_of_day"])),
        duration_seconds=int(data["duration_seconds"]),
        start_day_of_week=data.get("start_day_of_week"),
    )


def layer_from_api(data: dict[str, Any]) -> Layer:
    """A layer from its PagerDuty JSON (``users`` as ``[{"user": {"id": ...}}]``)."""
    return Layer(
        start=parse_dt(data["start"]),
        end=parse_dt(data["end"]) if data.get("end") else None,
        rotation_virtual_start=parse_dt(data["rotation_virtual_start"]),
        rotation_turn_length_seconds=int(data["rotation_turn_length_seconds"]),
        users=tuple(str(u["user"]["id"]) for u in data.get("users", [])),
        restrictions=tuple(restriction_from_api(r) for r in data.get("restrictions") or []),
    )


def override_from_api(data: dict[str, Any]) -> Override:
    return Override(str(data["user"]["id"]), parse_dt(data["start"]), parse_dt(data["end"]))
