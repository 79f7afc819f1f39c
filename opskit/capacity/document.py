"""The capacity report as data (`--format json`, version 1), which text and HTML render."""

from __future__ import annotations

from typing import Any

from opskit.capacity.demand import HOURS_OF_WEEK
from opskit.capacity.report import DeskReport, Report
from opskit.capacity.words import DAYS, hour_ranges

VERSION = 1


def hour_label(hour: int) -> str:
    return f"{DAYS[hour // 24]} {hour % 24:02d}:00"


def _key(tier: str, priority: str) -> str:
    return f"{tier}/{priority}"


def document(found: Report, source: str, label: str) -> dict[str, Any]:
    findings = found.findings()
    return {
        "version": VERSION,
        "demand": {"label": label, "since": found.since.isoformat(),
                   "until": found.until.isoformat(), "tickets": found.tickets, "source": source},
        "staffing": {"start": found.start.isoformat(), "weeks": found.weeks},
        "scenario": {"growth": found.scenario.growth, "like": list(found.scenario.like)},
        "desks": [_desk(d) for d in found.desks],
        "findings": [
            {"desk": f.desk, "tier": f.tier, "priority": f.priority, "hours": list(f.hours),
             "when": hour_ranges(f.hours), "zone": f.zone, "worst": round(f.worst, 4),
             "goal": f.goal, "target": f.target, "missing": f.missing}
            for f in findings
        ],
        "ok": not findings,
    }  # fmt: skip


def _desk(desk: DeskReport) -> dict[str, Any]:
    by_key = {(f.tier, f.priority): f for f in desk.findings()}
    promises = []
    for key, p in desk.promises.items():
        per_week = sum(desk.rates.get(key, {}).values()) * 3600  # rates of each hour of a week
        sim = desk.simulated
        finding = by_key.get(key)
        promises.append({
            "tier": p.tier, "priority": p.priority, "target": _target(desk, key), "goal": p.goal,
            "target_seconds": p.target, "handle_seconds": round(p.handle, 1),
            "tickets_per_week": round(per_week, 2),
            "hourly": {
                "method": "backlog" if p.deferred else "erlang-c",
                "worst": round(min((h.levels[key] for h in desk.hours if key in h.levels),
                                   default=1.0), 4),
                "short_hours": list(finding.hours) if finding else [],
                "missing": finding.missing if finding else 0,
            },
            "simulated": None if sim is None else {
                "tickets": sim.tickets[key], "met_share": sim.share(key),
            },
        })  # fmt: skip
    hours = {h.hour: h for h in desk.hours}
    return {
        "name": desk.desk.name, "zone": desk.desk.zone,
        "rotations": [r.name for r in desk.desk.rotations],
        "tiers": [t.name for t in desk.desk.tiers], "shrinkage": round(desk.desk.shrinkage, 4),
        "promises": promises,
        "hours": [_hour(hours.get(h), h, desk) for h in range(HOURS_OF_WEEK)],
    }  # fmt: skip


def _target(desk: DeskReport, key: tuple[str, str]) -> str:
    tier = next(t for t in desk.desk.tiers if t.name == key[0])
    return str(tier.targets[key[1]].first_response)


def _hour(hour: Any, number: int, desk: DeskReport) -> dict[str, Any]:
    if hour is None:
        return {"hour": number, "label": hour_label(number), "tickets_per_hour": 0.0,
                "people": desk.people.get(number, 0),
                "agents": round(desk.agents.get(number, 0.0), 2), "occupancy": None,
                "missing": 0, "levels": {}, "short": []}  # fmt: skip
    return {
        "hour": number, "label": hour_label(number),
        "tickets_per_hour": round(hour.rate * 3600, 3), "people": hour.people,
        "agents": round(hour.agents, 2), "occupancy": round(hour.occupancy, 3),
        "missing": hour.missing,
        "levels": {_key(*k): round(v, 4) for k, v in hour.levels.items()},
        "short": [_key(*k) for k in hour.short(desk.promises)],
    }  # fmt: skip
