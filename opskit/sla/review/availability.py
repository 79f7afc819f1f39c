"""Availability per service: the share of a period with no high-urgency incident open.

A service is down from an incident's `created_at` until its `resolved_at` (or the review's
as-of instant, for one still open); overlapping incidents count once. Incidents are read
from PagerDuty's `GET /incidents`, filtered to the customers' services and to high urgency,
in windows of at most CHUNK (the API refuses a `since`/`until` range over six months).
Services are matched by name, as `opskit apply` names them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from opskit.errors import ExitCode, OpskitError
from opskit.sla.review.period import Period
from opskit.sla.text import iso
from opskit.time.zones import parse_instant

CHUNK = dt.timedelta(days=150)
LOOKBACK = dt.timedelta(days=30)  # an incident opened this long before a period may reach into it
MAX_INCIDENTS = 20_000  # a bound on what one review reads


@dataclass(frozen=True, slots=True)
class Outage:
    """A span a service was down: a high-urgency PagerDuty incident open on it."""

    service: str  # the policy's service name
    start: dt.datetime
    end: dt.datetime | None  # None: still open


@dataclass(frozen=True, slots=True)
class Availability:
    """How much of a period a service was up, and the incidents that took it down."""

    service: str
    down_seconds: int
    share: float  # 0..1 of the period up
    incidents: int  # high-urgency incidents overlapping the period


def listed(api: Any, path: str, since: dt.datetime, until: dt.datetime, params: dict[str, Any],
           limit: int, hint: str) -> list[dict[str, Any]]:  # fmt: skip
    """Every item of a PagerDuty list with `since`/`until` (``/incidents``, ``/log_entries``)
    in [since, until) that `params` select, once each, read in windows of at most CHUNK;
    more than `limit` is an OpskitError ending in `hint`."""
    seen: dict[str, dict[str, Any]] = {}
    what = path.strip("/").replace("_", " ")
    start = since
    while start < until:
        end = min(start + CHUNK, until)
        for item in api.pages(path, {**params, "since": iso(start), "until": iso(end)}):
            seen[str(item["id"])] = item
            if len(seen) > limit:
                raise OpskitError(f"PagerDuty: more than {limit} {what} from {iso(since)} "
                                  f"to {iso(until)}; {hint}", ExitCode.RUNTIME)  # fmt: skip
        start = end
    return list(seen.values())


def incidents(api: Any, since: dt.datetime, until: dt.datetime, params: dict[str, Any],
              limit: int, hint: str) -> list[dict[str, Any]]:  # fmt: skip
    """Every incident created in [since, until) that `params` select, oldest first (see
    ``listed``)."""
    return listed(api, "/incidents", since, until, {**params, "sort_by": "created_at:asc"},
                  limit, hint)  # fmt: skip


def read(api: Any, names: Iterable[str], since: dt.datetime, until: dt.datetime) -> list[Outage]:
    """High-urgency incidents created in [since, until) on the named services."""
    wanted = set(names)
    ids = {str(s["id"]): str(s["name"]) for s in api.pages("/services")
           if str(s.get("name")) in wanted}  # fmt: skip
    if not ids:
        return []
    params = {"service_ids[]": sorted(ids), "urgencies[]": ["high"]}
    out = []
    for incident in incidents(api, since, until, params, MAX_INCIDENTS, "review fewer (--history)"):
        opened = parse_instant(incident.get("created_at"))
        service = ids.get(str((incident.get("service") or {}).get("id")))
        if opened is None or service is None or incident.get("urgency") != "high":
            continue
        closed = parse_instant(incident.get("resolved_at"))
        out.append(
            Outage(service, opened, closed if incident.get("status") == "resolved" else None)
        )
    return sorted(out, key=lambda o: (o.service, o.start))


def measure(outages: Sequence[Outage], service: str, period: Period,
            as_of: dt.datetime) -> Availability:  # fmt: skip
    """The service's availability over the period (up to as_of, for one still going)."""
    end = min(period.end, as_of)
    spans = sorted(
        (max(o.start, period.start), min(o.end or end, end))
        for o in outages if o.service == service
    )  # fmt: skip
    spans = [(a, b) for a, b in spans if a < b]
    down, reach = 0.0, period.start
    for a, b in spans:
        a = max(a, reach)
        if b > a:
            down += (b - a).total_seconds()
            reach = b
    length = max((end - period.start).total_seconds(), 1.0)
    return Availability(service, round(down), 1 - down / length, len(spans))
