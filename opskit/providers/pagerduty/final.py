"""Who a schedule's layers page, rendered here with PagerDuty's layer semantics.

A plan compares what a PUT would page with what pages now from the layers it read in
bulk, so seeing who is paged costs no request per schedule. Semantics as PagerDuty
documents them: turn k starts k turn lengths after `rotation_virtual_start` on the
schedule's wall clock and belongs to users[k mod n]; a layer covers [start, end); a
restriction runs for its length of real time from its local start; later layers win.
"""

from __future__ import annotations

import itertools
from typing import Any

from opskit.oncall.render import Shift, stack
from opskit.providers.pagerduty.times import parse
from opskit.time import zones
from opskit.time.intervals import Span, intersect, union

Entry = tuple[int, int, str]  # start, end (UTC seconds), user id


def render(layers: list[dict[str, Any]], zone_name: str, lo: int, hi: int) -> list[Entry]:
    """The final schedule of `layers` (lowest first) in [lo, hi), overrides aside."""
    zone = zones.get(zone_name)
    levels = [_layer(layer, zone, lo, hi) for layer in reversed(layers)]
    # stack joins back-to-back shifts of one person, from any layer, into one stretch
    return [(s.start, s.end, s.person) for s in stack(levels)]


def _instant(text: str) -> int:
    return zones.from_datetime(parse(text))


def _layer(layer: dict[str, Any], zone: zones.Zone, lo: int, hi: int) -> list[Shift]:
    users = [str(u["user"]["id"]) for u in layer.get("users", [])]
    length = int(layer["rotation_turn_length_seconds"])
    lo = max(lo, _instant(layer["start"]))
    if layer.get("end"):
        hi = min(hi, _instant(layer["end"]))
    if lo >= hi or not users or length <= 0:
        return []
    origin = zone.wall(_instant(layer["rotation_virtual_start"]))
    k = (zone.wall(lo) - origin) // length
    while zone.utc(origin + k * length) > lo:
        k -= 1
    while zone.utc(origin + (k + 1) * length) <= lo:
        k += 1
    turns: list[tuple[int, int, str]] = []
    start = zone.utc(origin + k * length)
    while start < hi:
        end = zone.utc(origin + (k + 1) * length)
        if end > start:
            turns.append((max(start, lo), min(end, hi), users[k % len(users)]))
        k, start = k + 1, end
    restrictions = layer.get("restrictions") or []
    if not restrictions:
        return [Shift(a, b, user, "") for a, b, user in turns]
    active = union(span for r in restrictions for span in _windows(r, zone, lo, hi))
    return [
        Shift(a, b, user, "")
        for start, end, user in turns
        for a, b in intersect([(start, end)], active)
    ]


def _windows(restriction: dict[str, Any], zone: zones.Zone, lo: int, hi: int) -> list[Span]:
    hours, minutes, *seconds = (int(p) for p in str(restriction["start_time_of_day"]).split(":"))
    offset = hours * 3600 + minutes * 60 + (seconds[0] if seconds else 0)
    length = int(restriction["duration_seconds"])
    weekly = restriction.get("type") == "weekly_restriction"
    weekday = int(restriction.get("start_day_of_week") or 1) - 1  # PagerDuty: 1 = Monday
    # a weekly window may run for up to a week, so look back that far for one still open
    day = (zone.wall(lo) // zones.DAY - (8 if weekly else 1)) * zones.DAY
    spans: list[Span] = []
    while day <= zone.wall(hi):
        if not weekly or zones.weekday_of(day) == weekday:
            begin = zone.utc(day + offset)
            a, b = max(begin, lo), min(begin + length, hi)
            if a < b:
                spans.append((a, b))
        day += zones.DAY
    return spans


def differences(before: list[Entry], after: list[Entry]) -> list[tuple[int, int, str, str]]:
    """Stretches where the two schedules page different people ("" for nobody)."""
    cuts = sorted({t for s, e, _ in (*before, *after) for t in (s, e)})
    out: list[tuple[int, int, str, str]] = []
    i = j = 0
    for a, b in itertools.pairwise(cuts):
        while i < len(before) and before[i][1] <= a:
            i += 1
        while j < len(after) and after[j][1] <= a:
            j += 1
        was = before[i][2] if i < len(before) and before[i][0] <= a else ""
        will = after[j][2] if j < len(after) and after[j][0] <= a else ""
        if was == will:
            continue
        if out and out[-1][1] == a and out[-1][2:] == (was, will):
            out[-1] = (out[-1][0], b, was, will)
        else:
            out.append((a, b, was, will))
    return out
