"""Customer satisfaction: the CSAT rating (1 to 5) JSM customers give a resolved request.

Each ticket's rating is read with `GET /rest/servicedeskapi/request/{key}/feedback`; a 404
means none was given (or the project is no service desk). A rating counts in the period
its ticket was (last) resolved in. Only tickets resolved within the reviewed periods are
asked about, so the number of requests is bounded by the tickets read.

Answers are kept in the cache folder (`<cache>/sla/csat-<sha256 of the site>.json`: ticket
keys, ratings and when they were asked; no comment text), so a monthly review asks again
only about what may have changed: a ticket with no rating yet that was resolved less than
ASK_AGAIN before it was last asked (customers rate in the days after), or resolved again
since. A rating once read is kept (JSM lets a customer replace it; --no-cache reads all).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opskit.disk_cache import cache_dir, write_atomically

FEEDBACK = "/rest/servicedeskapi/request/{key}/feedback"
ASK_AGAIN = dt.timedelta(days=30)
MAX_KEPT = 50_000


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """CSAT ratings of resolved tickets: how many, their mean, and how many were low."""

    ratings: int
    mean: float | None  # 1..5, None without ratings
    low: int  # ratings of 1 or 2

    @classmethod
    def of(cls, values: list[int]) -> Satisfaction:
        if not values:
            return cls(0, None, 0)
        return cls(len(values), round(statistics.fmean(values), 2), sum(v <= 2 for v in values))


def rating(answer: Any) -> int | None:
    """The rating of a feedback answer, if it is a CSAT rating in range."""
    if not isinstance(answer, dict) or answer.get("type", "csat") != "csat":
        return None
    value = answer.get("rating")
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    return None


def cache_path(site: str) -> Path:
    return cache_dir() / "sla" / f"csat-{hashlib.sha256(site.encode()).hexdigest()[:24]}.json"


def _load(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == 1 else {}


def _settled(entry: dict[str, Any], resolved: dt.datetime) -> bool:
    """A kept answer that needs no new question."""
    if not isinstance(entry.get("checked"), str):
        return False
    try:
        checked = dt.datetime.fromisoformat(entry["checked"])
    except ValueError:
        return False
    if entry.get("rating") is not None:
        return rating({"rating": entry["rating"]}) is not None
    return checked - resolved >= ASK_AGAIN


def read(
    api: Any, resolved: Mapping[str, dt.datetime], *, now: dt.datetime, use_cache: bool
) -> dict[str, int]:
    """Ticket key -> rating, for the tickets (key -> when last resolved) that have one."""
    path = cache_path(api.site) if use_cache else None
    kept: Any = _load(path).get("tickets")
    kept = kept if isinstance(kept, dict) else {}
    found: dict[str, int] = {}
    asked = False
    for key in sorted(resolved):
        entry = kept.get(key)
        entry = entry if isinstance(entry, dict) else {}
        if not _settled(entry, resolved[key]):
            answer = rating(api.call("GET", FEEDBACK.format(key=key), missing_ok=True))
            entry = kept[key] = {"rating": answer, "checked": now.isoformat()}
            asked = True
        if entry["rating"] is not None:
            found[key] = int(entry["rating"])
    if path is not None and asked:
        newest = sorted(kept.items(), key=lambda kv: str(kv[1].get("checked")))[-MAX_KEPT:]
        with contextlib.suppress(OSError):
            write_atomically(path, json.dumps({"format": 1, "tickets": dict(newest)}, sort_keys=True))
    return found
