"""The capacity report as text: per desk its promises, then what cannot be kept and where."""

from __future__ import annotations

from typing import Any

from opskit.capacity.words import percent


def _share(value: float | None) -> str:
    return "–" if value is None else percent(value)


def render(doc: dict[str, Any]) -> str:
    demand, staffing, scenario = doc["demand"], doc["staffing"], doc["scenario"]
    lines = [
        f"Demand: {demand['label']}, {demand['tickets']:,} tickets ({demand['source']}).",
        f"Staffing: the rotations' {staffing['weeks']} weeks from {staffing['start'][:10]}.",
    ]
    if scenario["growth"] != 1 or scenario["like"]:
        said = [f"volume x{scenario['growth']:g}"] if scenario["growth"] != 1 else []
        said += [f"a new customer like {name}" for name in scenario["like"]]
        lines.append(f"Scenario: {', '.join(said)}.")
    for desk in doc["desks"]:
        lines += ["", f"Desk {desk['name']} ({desk['zone']}, shrinkage {percent(desk['shrinkage'])}):"
                  f" {', '.join(desk['tiers'])}"]  # fmt: skip
        lines.append(f"  {'promise':<16}{'target':>7}{'goal':>6}{'a week':>8}"
                     f"{'worst hour':>22}{'simulated':>11}")  # fmt: skip
        for p in desk["promises"]:
            sim = p["simulated"]
            worst = p["hourly"]["worst"]
            mark = "short" if p["hourly"]["short_hours"] else "ok"
            simulated = "–" if sim is None else _share(sim["met_share"])
            lines.append(
                f"  {p['tier'] + ' ' + p['priority']:<16}{p['target']:>7}"
                f"{percent(p['goal']):>6}{p['tickets_per_week']:>8.1f}"
                f"{_share(worst) + ' ' + mark:>22}{simulated:>11}"
            )
    lines.append("")
    if not doc["findings"]:
        lines.append("Every attainment goal is staffed in every hour of the week.")
    for f in doc["findings"]:
        people = "person" if f["missing"] == 1 else "people"
        lines.append(
            f"Cannot be kept: {f['tier']} {f['priority']}, {percent(f['goal'])} within "
            f"{f['target']}: {f['when']} ({f['zone']}); as low as {percent(f['worst'])}; "
            f"{f['missing']} more {people} on shift needed."
        )
    lines += ["", "Worst hour: for a target within the hour Erlang C, each hour on its own; "
              "for a longer one the backlog, carried over the week; each priority behind "
              "the more urgent ones, shrinkage as time away. The simulation runs the real "
              "weeks (holidays, shifts, business hours)."]  # fmt: skip
    return "\n".join(lines) + "\n"
