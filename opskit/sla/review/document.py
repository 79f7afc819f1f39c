"""The service review as JSON (version 1) and as Markdown drawn from the same document.

JSON: `version`, `period` and `previous` ({`label`, `start`, `end`}, UTC, end exclusive),
`as_of` (the instant the clocks were evaluated at: the period's end, or now for a period
still going), `scope` (the JQL the tickets were read with), `untracked` (tickets with no
tier, not measured), `customers` (a section each, by customer name; tickets with a
service's tier and no customer under `customer: null`) and `desk` (every measured ticket).
A section: `customer`, `name` (display name), `current` and `previous` (figures), `trend`
(current less previous). Figures: `opened`, `resolved`, `clocks` ([{`metric`, `priority`,
`met`, `breached`, `met_share` (0..1, null when none stopped), `open_breached`}]), `times`
([{`metric`, `count`, `median_seconds`, `p90_seconds`}], business seconds) and `worst`
([{`ticket`, `url`, `metric`, `priority`, `state` (breached|open), `over_seconds`}]). The
trend has `opened`, `resolved`, `clocks` (differences of met, breached, open_breached and
met_share) and `times` (differences of median_seconds and p90_seconds); null where either
side has no value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from opskit.sla.review.figures import METRICS, Figures
from opskit.sla.review.period import Period
from opskit.sla.text import iso, span

VERSION = 1
LABEL = {"first_response": "First response", "next_update": "Next update",
         "resolution": "Resolution"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Section:
    customer: str | None
    name: str
    current: Figures
    previous: Figures


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
    }  # fmt: skip


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


def section_json(section: Section, browse: str) -> dict[str, Any]:
    now = figures_json(section.current, browse)
    before = figures_json(section.previous, browse)
    return {"customer": section.customer, "name": section.name, "current": now,
            "previous": before, "trend": trend_json(now, before)}  # fmt: skip


def _period(period: Period) -> dict[str, Any]:
    return {"label": period.label, "start": iso(period.start), "end": iso(period.end)}


def document(
    period: Period, as_of: dt.datetime, scope: str, browse: str, sections: list[Section],
    desk: Section, untracked: int,
) -> dict[str, Any]:  # fmt: skip
    return {
        "version": VERSION, "period": _period(period), "previous": _period(period.previous()),
        "as_of": iso(as_of), "scope": scope, "untracked": untracked,
        "customers": [section_json(s, browse) for s in sections],
        "desk": section_json(desk, browse),
    }  # fmt: skip


# Markdown


def _signed(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if unit == "time":
        return "±0" if value == 0 else ("+" if value > 0 else "") + span(int(value))
    if unit == "pp":
        return f"{value * 100:+.1f} pp" if value else "±0 pp"
    return f"{int(value):+d}" if value else "±0"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _hm(seconds: int | None) -> str:
    return "–" if seconds is None else span(seconds)


def _section_md(doc: dict[str, Any], section: dict[str, Any], title: str) -> list[str]:
    cur, trend, was = section["current"], section["trend"], doc["previous"]["label"]
    lines = [f"## {title}", "",
             f"Tickets opened: {cur['opened']} ({_signed(trend['opened'])} vs {was}); "
             f"resolved: {cur['resolved']} ({_signed(trend['resolved'])}).", ""]  # fmt: skip
    lines += ["| Metric | Priority | Met | Breached | Met share | Open, breached at end "
              "| Δ met | Δ breached | Δ share | Δ open, breached |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    now = {(c["metric"], c["priority"]): c for c in cur["clocks"]}
    for t in trend["clocks"]:
        c = now.get((t["metric"], t["priority"]),
                    {"met": 0, "breached": 0, "met_share": None, "open_breached": 0})  # fmt: skip
        lines.append(
            f"| {LABEL[t['metric']]} | {t['priority']} | {c['met']} | {c['breached']} "
            f"| {_share(c['met_share'])} | {c['open_breached']} | {_signed(t['met'])} "
            f"| {_signed(t['breached'])} | {_signed(t['met_share'], 'pp')} "
            f"| {_signed(t['open_breached'])} |"
        )
    if not trend["clocks"]:
        lines.append("| – | – | 0 | 0 | – | 0 | ±0 | ±0 | – | ±0 |")
    lines += ["", "| Metric | Stopped | Median | p90 | Δ median | Δ p90 |",
              "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for t, d in zip(cur["times"], trend["times"], strict=True):
        lines.append(
            f"| {LABEL[t['metric']]} | {t['count']} | {_hm(t['median_seconds'])} "
            f"| {_hm(t['p90_seconds'])} | {_signed(d['median_seconds'], 'time')} "
            f"| {_signed(d['p90_seconds'], 'time')} |"
        )
    lines += ["", "Most over target:", ""]
    if not cur["worst"]:
        lines.append("- none")
    for w in cur["worst"]:
        state = "stopped late" if w["state"] == "breached" else "still open at the end"
        lines.append(f"- [{w['ticket']}]({w['url']}): {LABEL[w['metric']].lower()}, "
                     f"{w['priority']}, {span(w['over_seconds'])} over target ({state})")  # fmt: skip
    return [*lines, ""]


def markdown(doc: dict[str, Any]) -> str:
    p = doc["period"]
    lines = [
        f"# Service review {p['label']}", "",
        f"Period {p['start']} to {p['end']} (UTC, end excluded); clocks as of {doc['as_of']}; "
        f"compared with {doc['previous']['label']}. Business time in hours and minutes.", "",
    ]  # fmt: skip
    for s in doc["customers"]:
        title = f"{s['name']} ({s['customer']})" if s["customer"] else s["name"]
        lines += _section_md(doc, s, title)
    lines += _section_md(doc, doc["desk"], "Whole desk")
    if doc["untracked"]:
        lines += [f"{doc['untracked']} ticket(s) had no tier and were not measured.", ""]
    return "\n".join(lines).rstrip() + "\n"
