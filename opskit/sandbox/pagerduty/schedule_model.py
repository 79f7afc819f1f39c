"""Validation and storage shape of schedules and their layers (PagerDuty's rules)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from opskit.sandbox import schedule_render as sr
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import pd_invalid
from opskit.sandbox.pagerduty.common import (
    check_ref,
    fmt,
    need_str,
    new_id,
    parse_time,
    ref,
    zone,
)

LAYER_FIELDS = (
    "name",
    "rotation_virtual_start",
    "rotation_turn_length_seconds",
    "users",
    "restrictions",
    "end",
)


def _restriction(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise pd_invalid("restrictions must be objects")
    kind = data.get("type")
    if kind not in ("daily_restriction", "weekly_restriction"):
        raise pd_invalid("restriction type must be daily_restriction or weekly_restriction")
    try:
        time.fromisoformat(str(data.get("start_time_of_day")))
    except ValueError:
        raise pd_invalid("start_time_of_day must be HH:MM:SS") from None
    limit = 86_400 if kind == "daily_restriction" else 604_800
    seconds = data.get("duration_seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 < seconds <= limit:
        raise pd_invalid(f"duration_seconds must be between 1 and {limit}")
    out = {
        "type": kind,
        "start_time_of_day": data["start_time_of_day"],
        "duration_seconds": seconds,
    }
    if kind == "weekly_restriction":
        day = data.get("start_day_of_week")
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            raise pd_invalid("start_day_of_week must be between 1 and 7")
        out["start_day_of_week"] = day
    return out


def layer(data: Any, index: int) -> dict[str, Any]:
    """A validated layer in storage form (times as UTC ISO strings)."""
    if not isinstance(data, dict):
        raise pd_invalid("schedule_layers must be objects")
    users = data.get("users")
    if not isinstance(users, list) or not users:
        raise pd_invalid("Schedule layer must have at least one user")
    user_ids = [
        check_ref(u.get("user") if isinstance(u, dict) else None, "user", "users.user")
        for u in users
    ]
    turn = data.get("rotation_turn_length_seconds")
    if isinstance(turn, bool) or not isinstance(turn, int) or not 3600 <= turn <= 365 * 86400:
        raise pd_invalid("rotation_turn_length_seconds must be an integer from 3600 to 31536000")
    start = parse_time(data.get("start"), "start")
    end = parse_time(data["end"], "end") if data.get("end") not in (None, "") else None
    if end is not None and end <= start:
        raise pd_invalid("Layer end must be after its start")
    restrictions = data.get("restrictions") or []
    if not isinstance(restrictions, list):
        raise pd_invalid("restrictions must be a list")
    return {
        "id": data.get("id") if isinstance(data.get("id"), str) else None,
        "name": data.get("name") if isinstance(data.get("name"), str) else f"Layer {index + 1}",
        "start": fmt(start),
        "end": fmt(end) if end else None,
        "rotation_virtual_start": fmt(
            parse_time(data.get("rotation_virtual_start"), "rotation_virtual_start")
        ),
        "rotation_turn_length_seconds": turn,
        "users": user_ids,
        "restrictions": [_restriction(r) for r in restrictions],
    }


def schedule_fields(body: dict[str, Any]) -> dict[str, Any]:
    name = need_str(body, "name")
    tz_name = body.get("time_zone")
    zone(tz_name)
    layers = body.get("schedule_layers")
    if not isinstance(layers, list) or not layers:
        raise pd_invalid("Schedule must have at least one layer")
    teams = body.get("teams") or []
    if not isinstance(teams, list):
        raise pd_invalid("teams must be a list")
    return {
        "name": name,
        "description": body.get("description")
        if isinstance(body.get("description"), str)
        else None,
        "time_zone": tz_name,
        "layers": [layer(x, i) for i, x in enumerate(layers)],
        "teams": [check_ref(t, "team", "teams") for t in teams],
    }


def _changed(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return any(old.get(k) != new.get(k) for k in LAYER_FIELDS)


def merge_layers(
    old: list[dict[str, Any]], new: list[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    """Apply an update the way PagerDuty does: history is immutable, so a changed or new
    layer starts no earlier than now, and a layer left out is ended, never deleted."""
    by_id = {x["id"]: x for x in old}
    kept_ids = {x["id"] for x in new if x["id"]}
    unknown = kept_ids - by_id.keys()
    if unknown:
        raise pd_invalid(f"Unknown schedule layer id {sorted(unknown)[0]}")
    ended = []
    for x in old:
        if x["id"] not in kept_ids:
            x = dict(x)
            if x["end"] is None or sr.parse_dt(x["end"]) > now:
                x["end"] = fmt(max(now, sr.parse_dt(x["start"])))
            ended.append(x)
    result = []
    for x in new:
        prior = by_id.get(x["id"]) if x["id"] else None
        if prior is not None and not _changed(prior, x):
            result.append(dict(prior))
            continue
        x = dict(x, id=x["id"] or new_id())
        x["start"] = fmt(max(sr.parse_dt(x["start"]), now))
        result.append(x)
    return ended + result


def new_layers(layers: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    return merge_layers([], [dict(x, id=None) for x in layers], now)


def render_layer_json(x: dict[str, Any], tz: ZoneInfo) -> Doc:
    out: Doc = {
        "id": x["id"],
        "name": x["name"],
        "start": fmt(sr.parse_dt(x["start"]), tz),
        "end": fmt(sr.parse_dt(x["end"]), tz) if x["end"] else None,
        "rotation_virtual_start": fmt(sr.parse_dt(x["rotation_virtual_start"]), tz),
        "rotation_turn_length_seconds": x["rotation_turn_length_seconds"],
        "users": [{"user": ref("user", u)} for u in x["users"]],
        "restrictions": x["restrictions"],
    }
    if out["end"] is None:
        del out["end"]  # an open-ended layer has no end (the document types it non-null)
    return out
