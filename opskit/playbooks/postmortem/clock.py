"""The postmortem's times: every instant in UTC and, unless the incident's zone is UTC
itself, in that zone too."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opskit.errors import UsageError
from opskit.playbooks.journal import parse_stamp

Stamp = dict[str, str]  # {"utc": ..., "local": ... ("" when the zone is UTC)}


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--zone: unknown time zone {name!r} (e.g. Europe/Berlin)") from None


def zone_for(events: list[dict[str, Any]], policy: Any) -> str:
    """The incident's zone: its service's support-hours zone; for a 24x7 service, the zone
    of the first rotation its ladder pages (where the responders are); else UTC."""
    inputs = (events[0].get("inputs") if events else None) or {}
    service = inputs.get("service") if isinstance(inputs, dict) else None
    found = policy.services.get(str(service)) if policy is not None and service else None
    if found is None:
        return "UTC"
    if not found.support_hours.always_open:
        return str(found.support_hours.timezone)
    for step in found.ladder.steps:
        for rotation in step.rotations:
            return str(rotation.timezone)
    return "UTC"


def instant(text: Any) -> dt.datetime | None:
    try:
        at = parse_stamp(str(text))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


class Clock:
    """Turns journal and API times into the postmortem's stamps."""

    def __init__(self, zone_name: str) -> None:
        self.zone_name = zone_name
        self._local = zone(zone_name)
        self.two_zones = zone_name != "UTC"

    def stamp(self, text: Any) -> Stamp:
        at = instant(text)
        if at is None:
            return {"utc": str(text), "local": ""}
        local = f"{at.astimezone(self._local):%Y-%m-%d %H:%M:%S %Z}" if self.two_zones else ""
        return {"utc": f"{at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S}Z", "local": local}


def duration(seconds: float) -> str:
    left = int(seconds)
    hours, left = divmod(left, 3600)
    minutes, secs = divmod(left, 60)
    parts = [f"{hours}h"] if hours else []
    parts += [f"{minutes}m"] if minutes or hours else []
    return " ".join([*parts, f"{secs}s"])
