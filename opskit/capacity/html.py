"""The capacity report as one self-contained HTML page: a heatmap per desk of each hour of
the week (the lowest share of a goal reached, and the people missing), no scripts.

It shares the service review's style sheet (opskit/sla/review/templates/style.css.j2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from opskit.capacity.words import DAYS, percent
from opskit.sla.review.html import TEMPLATES as REVIEW_TEMPLATES

TEMPLATES = Path(__file__).with_name("templates")


def _cell(hour: dict[str, Any], goals: dict[str, float]) -> dict[str, Any]:
    """Colour by the worst promise of the hour: its level as a share of its goal."""
    if not hour["levels"]:
        return {"class": "idle", "text": "", "title": f"{hour['label']}: no promise open"}
    worst = min(hour["levels"], key=lambda k: hour["levels"][k] / goals[k])
    ratio = hour["levels"][worst] / goals[worst]
    band = "ok" if ratio >= 1 else "near" if ratio >= 0.9 else "short"
    text = f"+{hour['missing']}" if hour["missing"] else ""
    title = (f"{hour['label']}: {hour['people']} on shift, {hour['tickets_per_hour']:.2f} "
             f"tickets an hour; lowest {worst} {percent(hour['levels'][worst])} "
             f"(goal {percent(goals[worst])})"
             + (f"; {hour['missing']} more needed" if hour["missing"] else ""))  # fmt: skip
    return {"class": band, "text": text, "title": title}


def render(doc: dict[str, Any]) -> str:
    desks = []
    for desk in doc["desks"]:
        goals = {f"{p['tier']}/{p['priority']}": p["goal"] for p in desk["promises"]}
        rows = [(DAYS[d], [_cell(desk["hours"][d * 24 + h], goals) for h in range(24)])
                for d in range(7)]  # fmt: skip
        desks.append((desk, rows))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES, REVIEW_TEMPLATES]), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    env.filters["share"] = lambda v: "–" if v is None else percent(v)
    return env.get_template("capacity.html.j2").render(doc=doc, desks=desks)
