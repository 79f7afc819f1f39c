"""A committed snapshot of demand: what `validate` checks the staffing against.

`opskit capacity snapshot` writes the demand it measured, on each desk's clock, to
`capacity-snapshot.json` at the repository's root: mean arrivals in each hour of the week
per tier and priority (and per customer, for the growth scenarios), and the handle times
logged. Committed, it lets `validate` (rule capacity-short) prove on every pull request
that a change to rotations, shrinkage or goals still staffs the promises, without Jira.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opskit.capacity.demand import HOURS_OF_WEEK, Demand, Key
from opskit.capacity.rule import SNAPSHOT

NAME = SNAPSHOT
VERSION = 1
MAX_BYTES = 8 * 1024 * 1024
MAX_SERIES = 10_000


class SnapshotError(ValueError):
    """A snapshot that cannot be read, at `path:line:col`."""

    def __init__(self, path: Path, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path, self.line, self.column, self.message = path, line, column, message


def _key(key: Key) -> str:
    return f"{key[0]}/{key[1]}"


def _series(counts: dict[int, int], occurrences: dict[int, int]) -> list[float]:
    return [round(counts.get(h, 0) / occurrences[h], 6) if occurrences.get(h) else 0.0
            for h in range(HOURS_OF_WEEK)]  # fmt: skip


def document(measured: dict[str, Demand], tickets: int) -> dict[str, Any]:
    """The snapshot of the demand measured on each desk clock (zone -> demand)."""
    any_demand = next(iter(measured.values()))
    zones: dict[str, Any] = {}
    for zone, found in measured.items():
        customers: dict[str, dict[str, list[float]]] = {}
        for (tier, priority, customer), counts in sorted(found.by_customer.items()):
            if customer:
                series = _series(counts, found.occurrences)
                customers.setdefault(customer, {})[_key((tier, priority))] = series
        zones[zone] = {
            "per_hour": {_key(k): _series(c, found.occurrences)
                         for k, c in sorted(found.counts.items())},
            "customers": customers,
        }  # fmt: skip
    return {
        "version": VERSION,
        "window": {"since": any_demand.since.isoformat(), "until": any_demand.until.isoformat()},
        "tickets": tickets,
        "handle_seconds": {_key(k): {"seconds": round(s / n, 1), "tickets": int(n)}
                           for k, (s, n) in sorted(any_demand.worked.items())},
        "zones": zones,
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Demand as committed: what `opskit.capacity.scenario.Measured` asks of it, per zone."""

    path: Path
    since: dt.datetime
    until: dt.datetime
    tickets: int
    zone: str = ""
    per_hour: dict[Key, list[float]] = field(default_factory=dict)
    customers: dict[str, dict[Key, list[float]]] = field(default_factory=dict)
    handles: dict[Key, tuple[float, int]] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def rate(self, tier: str, priority: str, hour: int) -> float:
        return self.per_hour.get((tier, priority), [0.0] * HOURS_OF_WEEK)[hour] / 3600

    def customer_rates(self, customer: str) -> dict[Key, dict[int, float]]:
        return {k: {h: v / 3600 for h, v in enumerate(series) if v}
                for k, series in self.customers.get(customer, {}).items()}  # fmt: skip

    def handle(self, tier: str, priority: str, *, at_least: int = 5) -> float | None:
        seconds, tickets = self.handles.get((tier, priority), (0.0, 0))
        return seconds if tickets >= at_least else None

    def zones(self) -> list[str]:
        return sorted(self.data.get("zones", {}))

    def on(self, zone: str) -> Snapshot | None:
        """The demand on that zone's clock, or None when the snapshot has none."""
        found = self.data.get("zones", {}).get(zone)
        if found is None:
            return None
        try:
            per_hour = {_parse_key(k): _floats(v) for k, v in found["per_hour"].items()}
            customers = {c: {_parse_key(k): _floats(v) for k, v in series.items()}
                         for c, series in found.get("customers", {}).items()}  # fmt: skip
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise SnapshotError(self.path, 1, 1, f"zone {zone}: {error}") from None
        return Snapshot(self.path, self.since, self.until, self.tickets, zone, per_hour,
                        customers, self.handles, self.data)  # fmt: skip


def _parse_key(text: str) -> Key:
    tier, sep, priority = str(text).partition("/")
    if not sep or not tier or not priority:
        raise ValueError(f"{text[:40]!r} is not TIER/PRIORITY")
    return tier, priority


def _floats(raw: Any) -> list[float]:
    if not isinstance(raw, list) or len(raw) != HOURS_OF_WEEK:
        raise ValueError(f"a series has {HOURS_OF_WEEK} numbers, one an hour of the week")
    out = [float(v) for v in raw if not isinstance(v, bool)]
    if len(out) != HOURS_OF_WEEK or not all(math.isfinite(v) and 0 <= v <= 1e6 for v in out):
        raise ValueError("a series holds numbers of tickets an hour, 0 to 1,000,000")
    return out


def load(path: Path) -> Snapshot:
    if not path.is_file():
        raise SnapshotError(path, 1, 1, "not a regular file")
    if path.stat().st_size > MAX_BYTES:
        raise SnapshotError(path, 1, 1, f"larger than {MAX_BYTES // 1024 // 1024} MiB")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SnapshotError(path, 1, 1, "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise SnapshotError(path, error.lineno, error.colno, error.msg) from None
    try:
        if data["version"] != VERSION:
            raise ValueError(f"version {data['version']!r}; this opskit reads {VERSION}")
        window = data["window"]
        since, until = (dt.datetime.fromisoformat(window[k]) for k in ("since", "until"))
        handles = {_parse_key(k): (float(v["seconds"]), int(v["tickets"]))
                   for k, v in data.get("handle_seconds", {}).items()}  # fmt: skip
        if len(handles) > MAX_SERIES or len(data["zones"]) > 100:
            raise ValueError("too many series")
        if not all(math.isfinite(s) and 0 < s <= 7 * 86400 for s, _ in handles.values()):
            raise ValueError("handle seconds are 0 to a week")
        return Snapshot(path, since, until, int(data["tickets"]), handles=handles, data=data)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise SnapshotError(path, 1, 1, f"not an opskit capacity snapshot: {error}") from None
