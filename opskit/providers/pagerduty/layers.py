"""How a schedule's layers change on a PUT without changing who is on call right now.

Pure: the writer sends what `arrange` returns, and the plan renders the same answer to
show who a PUT would page, so what is shown is what is sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from opskit.providers.pagerduty.times import parse, utc_text

Layer = dict[str, Any]

_LAYER_FIELDS = (
    "id", "name", "start", "end", "rotation_virtual_start", "rotation_turn_length_seconds", "users", "restrictions",
)  # fmt: skip


def payload(
    layers: list[dict[str, Any]], starts: list[str], user_id: Callable[[Any], str]
) -> list[Layer]:
    """The policy's layers (the plan's fields) as PagerDuty layers, lowest first."""
    return [
        {
            "name": layer["name"],
            "start": starts[index] if index < len(starts) else layer["rotation_virtual_start"],
            "rotation_virtual_start": layer["rotation_virtual_start"],
            "rotation_turn_length_seconds": layer["rotation_turn_length_seconds"],
            "users": [{"user": {"id": user_id(u), "type": "user_reference"}} for u in layer["users"]],
            "restrictions": layer["restrictions"],
        }
        for index, layer in enumerate(layers)
    ]


def arrange(current: list[Layer], wanted: list[Layer], zone: ZoneInfo, now: dt.datetime) -> list[Layer]:
    """The layers to PUT: `current` as read (highest first), `wanted` lowest first.

    PagerDuty cannot delete layers and re-deals turns when members change, so a layer
    whose people change ends at its next handoff and the new one takes over there;
    layers no longer wanted end the same way. Layer order is precedence (a later layer
    wins where it covers), so every layer keeps its rank: a handing-over layer stays
    just below the layer that replaces it, on this PUT and on every later one, and never
    rises above the policy's layers. A layer that has not started yet pages nobody, so it
    is changed in place.
    """
    remaining = iter(wanted)
    out: list[Layer] = []
    for old in reversed(current):  # lowest first
        if old.get("end"):
            out.append(writable(old))  # handing over (or past): where it was
            continue
        layer = next(remaining, None)
        handoff = utc_text(next_handoff(old, zone, now))
        if layer is None:
            out.append({**writable(old), "end": handoff})  # no longer wanted
        elif same_turns(old, layer) or parse(old["start"]) > now:
            out.append({**layer, "id": old["id"], "start": old["start"]})
        else:
            # at the next handoff, or later where the policy's roster change says so
            takeover = max(handoff, layer["start"], key=parse)
            out.append({**writable(old), "end": takeover})
            out.append({**layer, "start": takeover})
    return out + list(remaining)


def writable(layer: Layer) -> Layer:
    """A layer as read, without what the server computes (it refuses those back)."""
    return {key: layer[key] for key in _LAYER_FIELDS if key in layer}


def same_turns(old: Layer, new: Layer) -> bool:
    """Whether a layer deals the same turns to the same people (restrictions may differ).

    Anything else changes whose turn it is now, so it waits for the next handoff."""
    same_people = [u["user"]["id"] for u in old["users"]] == [u["user"]["id"] for u in new["users"]]
    same_origin = parse(old["rotation_virtual_start"]) == parse(new["rotation_virtual_start"])
    same_length = int(old["rotation_turn_length_seconds"]) == int(
        new["rotation_turn_length_seconds"]
    )
    return same_people and same_origin and same_length


def next_handoff(layer: Layer, zone: ZoneInfo, now: dt.datetime) -> dt.datetime:
    """The first turn boundary after `now`, counted in the schedule's wall-clock time as PagerDuty does."""
    origin = parse(layer["rotation_virtual_start"]).astimezone(zone).replace(tzinfo=None)
    turn = dt.timedelta(seconds=layer["rotation_turn_length_seconds"])
    local_now = now.astimezone(zone).replace(tzinfo=None)
    turns = (local_now - origin) // turn + 1
    boundary = max(origin + turns * turn, origin)
    return boundary.replace(tzinfo=zone)
