"""The service review in Markdown, for pasting into a ticket or an email: drawn from the
JSON document (`opskit.sla.review.document`), so both always say the same."""

from __future__ import annotations

from typing import Any

from opskit.sla.review.document import LABEL
from opskit.sla.text import span


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
    lines += _satisfaction_md(cur["satisfaction"], section["previous"]["satisfaction"], was)
    lines += _availability_md(section.get("availability"))
    lines += ["", "Most over target:", ""]
    if not cur["worst"]:
        lines.append("- none")
    for w in cur["worst"]:
        state = "stopped late" if w["state"] == "breached" else "still open at the end"
        lines.append(f"- [{w['ticket']}]({w['url']}): {LABEL[w['metric']].lower()}, "
                     f"{w['priority']}, {span(w['over_seconds'])} over target ({state})")  # fmt: skip
    return [*lines, "", *_history_md(section["history"])]


def _mean(s: dict[str, Any]) -> str:
    return "–" if s["mean"] is None else f"{s['mean']:.2f}"


def _satisfaction_md(now: dict[str, Any], before: dict[str, Any], was: str) -> list[str]:
    if not now["ratings"] and not before["ratings"]:
        return ["", "Satisfaction: no ratings."]
    return ["", f"Satisfaction: {_mean(now)} of 5 from {now['ratings']} rating(s), "
            f"{now['low']} low (1-2); {was}: {_mean(before)} from {before['ratings']}."]  # fmt: skip


def _availability_md(found: dict[str, Any] | None) -> list[str]:
    if found is None:
        return []
    target = found["target_percent"]
    lines = ["", f"Availability (high-urgency incidents; target {target:g}%):" if target
             else "Availability (high-urgency incidents):", "",
             "| Service | Up | Down | Incidents | Before | Target |", "|---|---:|---:|---:|---:|---|"]  # fmt: skip
    for a in found["services"]:
        before = "–" if a["previous_share"] is None else f"{a['previous_share']:.3%}"
        met = "–" if a["met"] is None else ("met" if a["met"] else "**missed**")
        lines.append(f"| {a['service']} | {a['share']:.3%} | {span(a['down_seconds'])} "
                     f"| {a['incidents']} | {before} | {met} |")  # fmt: skip
    if not found["services"]:
        lines.append("| – | – | – | 0 | – | – |")
    return lines


def _history_md(history: list[dict[str, Any]]) -> list[str]:
    lines = ["History:", "", "| Period | Opened | Resolved | Breached | Met share | Satisfaction |",
             "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for h in history:
        lines.append(f"| {h['period']} | {h['opened']} | {h['resolved']} | {h['breached']} "
                     f"| {_share(h['met_share'])} | {_mean(h['satisfaction'])} |")
    return [*lines, ""]


def _to_call_md(doc: dict[str, Any]) -> list[str]:
    lines = ["## Customers to call this week", ""]
    if not doc["to_call"]:
        return [*lines, "No customer raised a warning sign.", ""]
    for c in doc["to_call"]:
        reasons = "; ".join(f"{g['reason']} ({g['name']})" for g in c["signals"])
        lines.append(f"- **{c['name']}**: {reasons}")
    return [*lines, ""]


def markdown(doc: dict[str, Any]) -> str:
    p = doc["period"]
    lines = [
        f"# Service review {p['label']}", "",
        f"Period {p['start']} to {p['end']} (UTC, end excluded); clocks as of {doc['as_of']}; "
        f"compared with {doc['previous']['label']}. Business time in hours and minutes.", "",
    ]  # fmt: skip
    lines += _to_call_md(doc)
    for s in doc["customers"]:
        title = f"{s['name']} ({s['customer']})" if s["customer"] else s["name"]
        lines += _section_md(doc, s, title)
    lines += _section_md(doc, doc["desk"], "Whole desk")
    if doc["untracked"]:
        lines += [f"{doc['untracked']} ticket(s) had no tier and were not measured.", ""]
    return "\n".join(lines).rstrip() + "\n"
