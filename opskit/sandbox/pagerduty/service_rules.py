"""Validation of a service's support hours, urgency rule and scheduled actions."""

from __future__ import annotations

from datetime import time
from typing import Any

from opskit.sandbox.errors import pd_invalid
from opskit.sandbox.pagerduty.common import zone

URGENCIES = ("high", "low", "severity_based")


def check_support_hours(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("type") != "fixed_time_per_day":
        raise pd_invalid("support_hours.type must be fixed_time_per_day")
    zone(data.get("time_zone"), "support_hours.time_zone")
    days = data.get("days_of_week")
    if (
        not isinstance(days, list)
        or not days
        or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in days)
    ):
        raise pd_invalid("support_hours.days_of_week must list days 1..7")
    try:
        start = time.fromisoformat(str(data.get("start_time")))
        end = time.fromisoformat(str(data.get("end_time")))
    except ValueError:
        raise pd_invalid("support_hours start_time and end_time must be HH:MM:SS") from None
    if end <= start:
        raise pd_invalid("support_hours end_time must be after start_time")
    return {
        "type": "fixed_time_per_day",
        "time_zone": data["time_zone"],
        "days_of_week": sorted(set(days)),
        "start_time": data["start_time"],
        "end_time": data["end_time"],
    }


def check_urgency_rule(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise pd_invalid("incident_urgency_rule must be an object")
    if data.get("type") == "constant":
        if data.get("urgency") not in URGENCIES:
            raise pd_invalid("incident_urgency_rule.urgency must be high, low or severity_based")
        return {"type": "constant", "urgency": data["urgency"]}
    if data.get("type") != "use_support_hours":
        raise pd_invalid("incident_urgency_rule.type must be constant or use_support_hours")
    out: dict[str, Any] = {"type": "use_support_hours"}
    for key in ("during_support_hours", "outside_support_hours"):
        part = data.get(key)
        if not isinstance(part, dict) or part.get("urgency") not in URGENCIES:
            raise pd_invalid(f"incident_urgency_rule.{key} needs an urgency")
        out[key] = {"type": "constant", "urgency": part["urgency"]}
    return out


def check_actions(data: Any) -> list[dict[str, Any]]:
    """The actions, without the nulls an empty block becomes in some clients (the official
    Terraform provider sends `[null]`), which PagerDuty ignores."""
    if not isinstance(data, list):
        raise pd_invalid("scheduled_actions must be a list")
    data = [a for a in data if a is not None]
    for a in data:
        at = a.get("at") if isinstance(a, dict) else None
        if (
            not isinstance(a, dict)
            or a.get("type") != "urgency_change"
            or not isinstance(at, dict)
            or at.get("type") != "named_time"
            or at.get("name") not in ("support_hours_start", "support_hours_end")
            or a.get("to_urgency") != "high"
        ):
            raise pd_invalid("scheduled_actions must be urgency_change to high at a named time")
    return [dict(a) for a in data]
