"""A Rotation as a PagerDuty schedule: the pure mapping, no HTTP.

Layers keep their order (later layers win in both worlds); each layer's turn 0
is the rotation's first handoff, sent as `rotation_virtual_start` in UTC. What
PagerDuty cannot express (holidays, calendars in another zone whose DST rules
differ) comes back as warnings rather than silently changed coverage.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

from opskit.oncall.restrictions import window_length
from opskit.oncall.roster import deals, first_handoff, turn_seconds
from opskit.policy.model import Calendar, Layer, Person, Restriction, Rotation
from opskit.time import zones

UserId = Callable[[Person], str]
MIN_TURN = 3600  # PagerDuty's shortest turn
NO_HOLIDAYS = "PagerDuty has no holidays"


def iso(t: int) -> str:
    return zones.to_datetime(t).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}:00"


def _by_email(person: Person) -> str:
    return person.email


def schedule_payload(
    rotation: Rotation,
    user_id: UserId = _by_email,
    *,
    end: dt.datetime | None = None,
    history: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    """The `schedule` object for POST /schedules (and /schedules/preview), and warnings.

    With `history`, each layer with roster changes is preceded by a layer for each of its
    earlier member lists, ending where the next takes over (lowest first, as the layers)."""
    warnings: list[str] = []
    layers = []
    for layer in rotation.layers:
        if history:
            layers += earlier_layers(rotation, layer, user_id)
        layers.append(_layer(rotation, layer, user_id, end, warnings))
    schedule = {
        "type": "schedule",
        "name": rotation.name,
        "time_zone": rotation.timezone,
        "description": rotation.description,
        "schedule_layers": layers,
    }
    return schedule, warnings


def override_payloads(rotation: Rotation, user_id: UserId = _by_email) -> list[dict[str, Any]]:
    """Bodies for POST /schedules/{id}/overrides (in order: a later one wins)."""
    return [
        {
            "start": iso(zones.from_datetime(o.start)),
            "end": iso(zones.from_datetime(o.end)),
            "user": {"id": user_id(o.person), "type": "user_reference"},
        }
        for o in rotation.overrides
    ]


def _layer(
    rotation: Rotation, layer: Layer, user_id: UserId, end: dt.datetime | None, warnings: list[str]
) -> dict[str, Any]:
    zone = zones.get(rotation.timezone)
    # the list dealing now: after a roster change, a layer from that handoff whose turn 0
    # is placed so the order continues (the writer ends the old layer there)
    deal = deals(rotation, layer)[-1]
    start = iso(zone.utc(deal.origin if deal.since is None else deal.since))
    virtual_start = iso(zone.utc(deal.origin))
    length = turn_seconds(layer.shift)
    if layer.shift.business_days:
        warnings.append(
            f"layer {layer.name!r}: a shift of {layer.shift} is sent as calendar days; turns do not skip weekends"
        )
    if length < MIN_TURN:
        warnings.append(
            f"layer {layer.name!r}: PagerDuty turns last at least 1h, not {layer.shift}"
        )
    restrictions: list[dict[str, Any]] = []
    for restriction in layer.restrictions:
        restrictions += _restriction(rotation, layer, restriction, warnings)
    out: dict[str, Any] = {
        "name": layer.name,
        "start": start,
        "rotation_virtual_start": virtual_start,
        "rotation_turn_length_seconds": length,
        "users": [{"user": {"id": user_id(p), "type": "user_reference"}} for p in deal.members],
        "restrictions": restrictions,
    }
    if end is not None:
        out["end"] = iso(zones.from_datetime(end))
    return out


def earlier_layers(rotation: Rotation, layer: Layer, user_id: UserId) -> list[dict[str, Any]]:
    """A layer for each member list the layer had before its last roster change."""
    zone = zones.get(rotation.timezone)
    plan = deals(rotation, layer)
    current = _layer(rotation, layer, user_id, None, [])
    out = []
    for deal, following in itertools.pairwise(plan):
        assert following.since is not None
        out.append({
            **current,
            "start": iso(zone.utc(deal.origin if deal.since is None else deal.since)),
            "end": iso(zone.utc(following.since)),
            "rotation_virtual_start": iso(zone.utc(deal.origin)),
            "users": [{"user": {"id": user_id(p), "type": "user_reference"}} for p in deal.members],
        })  # fmt: skip
    return out


def _weekly(day: int, start: int, minutes: int) -> dict[str, Any]:
    return {
        "type": "weekly_restriction",
        "start_day_of_week": day % 7 + 1,
        "start_time_of_day": _clock(start),
        "duration_seconds": minutes * 60,
    }


def _restriction(
    rotation: Rotation, layer: Layer, r: Restriction, warnings: list[str]
) -> list[dict[str, Any]]:
    if r.calendar is None:
        assert r.window is not None
        minutes = window_length(r.window)
        if not minutes:
            return []
        if len(r.days) == 7:
            return [
                {
                    "type": "daily_restriction",
                    "start_time_of_day": _clock(r.window[0]),
                    "duration_seconds": minutes * 60,
                }
            ]
        return [_weekly(day, r.window[0], minutes) for day in sorted(r.days)]
    return _calendar(rotation, layer, r.calendar, r, warnings)


def _calendar(
    rotation: Rotation, layer: Layer, calendar: Calendar, r: Restriction, warnings: list[str]
) -> list[dict[str, Any]]:
    where = f"layer {layer.name!r}"
    if r.window is not None:
        warnings.append(
            f"{where}: an hours window inside calendar {calendar.name!r} is sent as the calendar's hours only"
        )
    if calendar.holiday_country or calendar.extra_holidays:
        warnings.append(
            f"{where}: {NO_HOLIDAYS}; the layer stays active on {calendar.name!r}'s holidays "
            "(cover them with overrides, or let opskit: targets.pagerduty.holiday_overrides)"
        )
    shift = _zone_shift(rotation, layer, calendar, warnings)
    out = []
    for day in sorted(r.days):
        for start, end in calendar.working_hours.get(day, []):
            if end > start:
                moved = day * 1440 + start + shift
                out.append(_weekly(moved // 1440, moved % 1440, end - start))
    return out


def _zone_shift(rotation: Rotation, layer: Layer, calendar: Calendar, warnings: list[str]) -> int:
    """Minutes to add to the calendar's local times to read them on the schedule's clock."""
    if calendar.timezone == rotation.timezone:
        return 0
    own, theirs = zones.get(rotation.timezone), zones.get(calendar.timezone)
    origin = own.utc(first_handoff(rotation, layer))
    samples = {
        (own.offset(t) - theirs.offset(t)) // 60
        for t in range(origin, origin + 366 * zones.DAY, 7 * zones.DAY)
    }
    shift = (own.offset(origin) - theirs.offset(origin)) // 60
    if len(samples) > 1:
        warnings.append(
            f"layer {layer.name!r}: calendar {calendar.name!r} keeps {calendar.timezone} time; "
            f"sent at the offset of {iso(origin)[:10]}, so its hours drift by up to "
            f"{max(samples) - min(samples)}m when DST differs (PagerDuty has one zone per schedule)"
        )
    return shift
