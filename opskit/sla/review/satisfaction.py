"""Customer satisfaction: the CSAT rating (1 to 5) JSM customers give a resolved request.

Each ticket's rating is read with `GET /rest/servicedeskapi/request/{key}/feedback`; a 404
means none was given (or the project is no service desk). A rating counts in the period
its ticket was (last) resolved in. Only tickets resolved within the reviewed periods are
asked about, so the number of requests is bounded by the tickets read.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

FEEDBACK = "/rest/servicedeskapi/request/{key}/feedback"


@dataclass(frozen=True, slots=True)
class Satisfaction:
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


def read(api: Any, keys: Iterable[str]) -> dict[str, int]:
    """Ticket key -> rating, for the tickets that have one."""
    found: dict[str, int] = {}
    for key in sorted(set(keys)):
        value = rating(api.call("GET", FEEDBACK.format(key=key), missing_ok=True))
        if value is not None:
            found[key] = value
    return found
