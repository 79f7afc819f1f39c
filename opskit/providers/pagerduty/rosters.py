"""What a reviewer should know when a schedule's members change: the order from the
handoff when the policy keeps the old list (roster_changes), or that every turn is dealt
again when it does not, with the lines that would continue the order instead."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from opskit.providers.pagerduty.layers import next_handoff
from opskit.providers.pagerduty.times import parse
from opskit.sync.resources import Desired, Warning, ref_key
from opskit.time import zones


def notes(
    want: Desired,
    read: list[dict[str, Any]],
    ids: dict[str, str],
    names: dict[str, str],
    now: dt.datetime,
) -> list[Warning]:
    """`read`: the live layers, highest first; `ids`: email -> user id; `names`: user id ->
    the policy's name for them."""
    zone = ZoneInfo(str(want.fields["time_zone"]))
    rosters: list[dict[str, Any]] = want.extra.get("rosters") or []
    live = [layer for layer in reversed(read) if not layer.get("end")]  # lowest first
    out: list[Warning] = []
    for i, layer in enumerate(want.fields["layers"]):
        roster = rosters[i] if i < len(rosters) else {}
        if "since" in roster and parse(roster["since"]) > now:
            when = parse(roster["since"]).astimezone(zone).strftime("%m-%d %H:%M")
            out.append(Warning(
                f"rotation {want.key!r}: layer {layer['name']!r} after {when}: "
                + ", ".join(roster["order"]),
                roster.get("source"),
            ))  # fmt: skip
            continue
        if i >= len(live) or parse(live[i]["start"]) > now:
            continue
        old = [str(u["user"]["id"]) for u in live[i]["users"]]
        new = [ids.get(email_of(ref), email_of(ref)) for ref in layer["users"]]
        if old != new:
            out.append(_redealt(want, layer, live[i], old, new, names, zone, now, roster))
    return out


def email_of(ref: Any) -> str:
    """The email a user reference of the plan names (or the value itself)."""
    key = ref_key(ref)
    return key[1] if key else str(ref)


def _redealt(
    want: Desired,
    layer: dict[str, Any],
    old_layer: dict[str, Any],
    old: list[str],
    new: list[str],
    names: dict[str, str],
    zone: ZoneInfo,
    now: dt.datetime,
    roster: dict[str, Any],
) -> Warning:
    handoff = next_handoff(old_layer, zone, now)
    own = zones.get(str(zone.key))
    at = own.wall(zones.from_datetime(handoff))
    length = int(layer["rotation_turn_length_seconds"])
    turn = (at - own.wall(zones.from_datetime(parse(old_layer["rotation_virtual_start"])))) // length
    on_call = old[(turn - 1) % len(old)]
    ahead = [old[(turn + step) % len(old)] for step in range(len(old))]
    following = next((u for u in ahead if u in new and u != on_call), None)
    dealt = (at - own.wall(zones.from_datetime(parse(layer["rotation_virtual_start"])))) // length
    redealt = new[dealt % len(new)] if new else None

    def name(user: str | None) -> str:
        return "nobody" if user is None else names.get(user, user)

    if redealt == on_call:
        effect = f": {name(on_call)} stays on call for a second turn in a row"
    elif following is not None and redealt != following:
        effect = f": {name(redealt)} takes the turn at {handoff:%m-%d %H:%M}, where the order gives {name(following)}"
    else:
        effect = ""
    date = handoff.astimezone(zone).date().isoformat()
    before = ", ".join(name(u) for u in old)
    return Warning(
        f"rotation {want.key!r}: layer {layer['name']!r}: its members change, so every turn is "
        f"dealt again from the rotation's start{effect}. To continue the order from the handoff "
        f'instead, keep the list before it in the layer: roster_changes: [{{at: "{date}", '
        f"before: [{before}]}}]",
        roster.get("members_source") or want.source,
    )
