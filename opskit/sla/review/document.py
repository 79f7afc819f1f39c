"""The service review as JSON (version 1) and as Markdown drawn from the same document.

JSON: `version`, `period` and `previous` ({`label`, `start`, `end`}, UTC, end exclusive),
`history` (the periods of the history, oldest first, the reviewed one last), `to_call`
(the customers who raised a warning sign: [{`customer`, `name`, `signals`: [{`name`,
`reason`}]}], most signs first), `availability_measured` (PagerDuty was read),
`as_of` (the instant the clocks were evaluated at: the period's end, or now for a period
still going), `scope` (the JQL the tickets were read with), `untracked` (tickets with no
tier, not measured), `customers` (a section each, by customer name; tickets with a
service's tier and no customer under `customer: null`) and `desk` (every measured ticket).
A section: `customer`, `name` (display name), `current` and `previous` (figures), `trend`
(current less previous), `history` ([{`period`, `opened`, `resolved`, `breached`,
`met_share`, `satisfaction`}] per history period), `availability` (null unless measured:
{`target_percent`, `services`: [{`service`, `down_seconds`, `share`, `incidents`,
`previous_share`, `met` (null without a target)}]}) and `signals`. Figures: `opened`, `resolved`, `clocks` ([{`metric`, `priority`,
`met`, `breached`, `met_share` (0..1, null when none stopped), `open_breached`}]), `times`
([{`metric`, `count`, `median_seconds`, `p90_seconds`}], business seconds) and `worst`
([{`ticket`, `url`, `metric`, `priority`, `state` (breached|open), `over_seconds`}]) and
`satisfaction` ({`ratings`, `mean` (1..5, null without ratings), `low` (ratings of 1-2)}). The
trend has `opened`, `resolved`, `clocks` (differences of met, breached, open_breached and
met_share) and `times` (differences of median_seconds and p90_seconds); null where either
side has no value.
"""

from __future__ import annotations

from typing import Any

from opskit.sla.review.figures import METRICS, Figures
from opskit.sla.review.period import Period
from opskit.sla.review.review import Review, Section
from opskit.sla.text import iso

VERSION = 1
LABEL = {"first_response": "First response", "next_update": "Next update",
         "resolution": "Resolution"}  # fmt: skip


def figures_json(figures: Figures, browse: str) -> dict[str, Any]:
    return {
        "opened": figures.opened, "resolved": figures.resolved,
        "clocks": [
            {"metric": m.value, "priority": p, "met": t.met, "breached": t.breached,
             "met_share": None if t.share is None else round(t.share, 4),
             "open_breached": t.open_breached}
            for (m, p), t in figures.tallies.items()
        ],
        "times": [
            {"metric": m.value, "count": t.count, "median_seconds": t.median,
             "p90_seconds": t.p90}
            for m, t in figures.times.items()
        ],
        "worst": [
            {"ticket": c.key, "url": f"{browse}/{c.key}", "metric": c.metric.value,
             "priority": c.priority, "state": c.state, "over_seconds": c.over}
            for c in figures.worst
        ],
        "satisfaction": _satisfaction(figures),
    }  # fmt: skip


def _satisfaction(figures: Figures) -> dict[str, Any]:
    s = figures.satisfaction
    return {"ratings": s.ratings, "mean": s.mean, "low": s.low}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def history_json(section: Section, periods: list[Period]) -> list[dict[str, Any]]:
    return [
        {"period": p.label, "opened": f.opened, "resolved": f.resolved, "breached": f.breached,
         "met_share": _rounded(f.met_share), "satisfaction": _satisfaction(f)}
        for p, f in zip(periods, section.history, strict=True)
    ]  # fmt: skip


def availability_json(section: Section) -> dict[str, Any]:
    target = section.availability_target
    before = {a.service: a.share for a in section.availability_before}
    return {"target_percent": target, "services": [
        {"service": a.service, "down_seconds": a.down_seconds, "share": round(a.share, 6),
         "incidents": a.incidents, "previous_share": _rounded(before.get(a.service)),
         "met": None if target is None else a.share * 100 >= target}
        for a in section.availability
    ]}  # fmt: skip


def _less(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def trend_json(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    old = {(c["metric"], c["priority"]): c for c in before["clocks"]}
    new = {(c["metric"], c["priority"]): c for c in now["clocks"]}
    zero = {"met": 0, "breached": 0, "open_breached": 0, "met_share": None}
    rows = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (METRICS.index(k[0]), k[1])):
        a, b = new.get(key, zero), old.get(key, zero)
        share = _less(a["met_share"], b["met_share"])
        rows.append({"metric": key[0], "priority": key[1]} | {
            n: a[n] - b[n] for n in ("met", "breached", "open_breached")
        } | {"met_share": None if share is None else round(share, 4)})  # fmt: skip
    times = [
        {"metric": a["metric"], "median_seconds": _less(a["median_seconds"], b["median_seconds"]),
         "p90_seconds": _less(a["p90_seconds"], b["p90_seconds"])}
        for a, b in zip(now["times"], before["times"], strict=True)
    ]  # fmt: skip
    return {"opened": now["opened"] - before["opened"],
            "resolved": now["resolved"] - before["resolved"], "clocks": rows, "times": times}  # fmt: skip


def section_json(section: Section, review: Review, browse: str) -> dict[str, Any]:
    now = figures_json(section.current, browse)
    before = figures_json(section.previous, browse)
    measured = review.availability_measured and section.customer is not None
    return {"customer": section.customer, "name": section.name, "current": now,
            "previous": before, "trend": trend_json(now, before),
            "history": history_json(section, review.periods),
            "availability": availability_json(section) if measured else None,
            "signals": [{"name": g.name, "reason": g.reason} for g in section.signals]}  # fmt: skip


def _period(period: Period) -> dict[str, Any]:
    return {"label": period.label, "start": iso(period.start), "end": iso(period.end)}


def document(review: Review, browse: str) -> dict[str, Any]:
    period = review.periods[-1]
    customers = [section_json(s, review, browse) for s in review.sections]
    to_call = sorted(
        ({"customer": c["customer"], "name": c["name"], "signals": c["signals"]}
         for c in customers if c["signals"]),
        key=lambda c: (-len(c["signals"]), c["name"]),
    )  # fmt: skip
    return {
        "version": VERSION, "period": _period(period), "previous": _period(period.previous()),
        "history": [_period(p) for p in review.periods],
        "as_of": iso(review.as_of), "scope": review.scope, "untracked": review.untracked,
        "availability_measured": review.availability_measured, "to_call": to_call,
        "customers": customers, "desk": section_json(review.desk, review, browse),
    }  # fmt: skip
