"""What the backdated loaders (Jira tickets, PagerDuty incidents) share: times in the past."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from opskit.sandbox.state import now


def past_time(raw: Any, where: str, error: type[ValueError]) -> datetime:
    """An ISO 8601 time with an offset, not after the sandbox's current time; else `error`
    with a message naming `where`."""
    try:
        when = datetime.fromisoformat(str(raw))
    except ValueError:
        raise error(f"{where}: {str(raw)[:60]!r} is not an ISO 8601 time") from None
    if when.tzinfo is None:
        raise error(f"{where}: {str(raw)[:60]!r} has no UTC offset")
    if when > now():
        raise error(f"{where}: {str(raw)[:60]!r} is after the sandbox's current time")
    return when
