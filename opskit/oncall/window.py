"""The window a command or check looks at: a reference instant and a horizon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from opskit.policy.values import parse_duration, parse_window, within_years
from opskit.time import zones

DEFAULT_HORIZON = "13w"
DEFAULT_NIGHT = "22:00-07:00"


def reference(now: Any = None) -> int:
    """`now` (a datetime or ISO text, UTC if naive) or the clock, floored to the minute."""
    if now is None:
        value = dt.datetime.now(dt.UTC)
    elif isinstance(now, dt.datetime):
        value = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
    else:
        value = parse_instant(str(now))
    return zones.from_datetime(value) // 60 * 60


def parse_instant(text: str, timezone: str = "UTC") -> dt.datetime:
    """'YYYY-MM-DD[THH:MM[:SS]][offset]'; times without an offset are read in `timezone`."""
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time: use e.g. 2026-12-26T03:00") from None
    within_years(value.year, text)
    return value if value.tzinfo else value.replace(tzinfo=zones.get(timezone).tz)


def horizon_seconds(text: str | None) -> int:
    duration = parse_duration(text or DEFAULT_HORIZON)
    return duration.calendar_seconds


def settings_window(settings: dict[str, Any]) -> tuple[int, int]:
    lo = reference(settings.get("now"))
    try:
        return lo, lo + horizon_seconds(settings.get("horizon"))
    except ValueError:  # reported against opskit.yaml; check with the default meanwhile
        return lo, lo + horizon_seconds(DEFAULT_HORIZON)


def night(settings: dict[str, Any]) -> tuple[int, int]:
    return parse_window(str(settings.get("night") or DEFAULT_NIGHT))
