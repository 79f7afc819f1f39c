"""Business durations and instants as people read them (shared by the engine's `why` and
the commands)."""

from __future__ import annotations

import datetime as dt


def span(seconds: int) -> str:
    """Business time in hours and minutes (`30h`, `1h30m`, `45m`): a business "day" has
    no fixed length, so days are never shown; negative amounts keep their sign."""
    return _units(seconds, (("h", 3_600), ("m", 60)))


def wall(seconds: int) -> str:
    """Wall-clock time: `2d3h`, `45m`."""
    return _units(seconds, (("d", 86_400), ("h", 3_600), ("m", 60)))


def _units(seconds: int, units: tuple[tuple[str, int], ...]) -> str:
    if seconds < 0:
        return "-" + _units(-seconds, units)
    if seconds < 60:
        return f"{seconds}s"
    parts = []
    for unit, size in units:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def when(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def iso(instant: dt.datetime | None) -> str | None:
    """UTC, seconds precision, `Z` suffix: the JSON form of every instant."""
    if instant is None:
        return None
    return instant.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
