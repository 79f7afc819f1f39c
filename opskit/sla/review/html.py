"""The service review as one self-contained HTML page: inline CSS and SVG charts, no
scripts and nothing fetched at view time; it prints one section per page.

Rendered with Jinja2 (autoescaped) from the JSON document, like the Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from opskit.sla.review import charts
from opskit.sla.review.document import LABEL
from opskit.sla.text import span

TEMPLATES = Path(__file__).with_name("templates")


def _slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "none").lower()).strip("-") or "none"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    env.filters.update(
        span=lambda s: "–" if s is None else span(int(s)),
        share=lambda v, digits=1: "–" if v is None else f"{v * 100:.{digits}f}%",
        signed=_signed, mean=lambda v: "–" if v is None else f"{v:.2f}", slug=_slug,
    )  # fmt: skip
    env.globals["LABEL"] = LABEL
    return env


def _signed(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if unit == "time":
        return "±0" if value == 0 else ("+" if value > 0 else "−") + span(abs(int(value)))
    if unit == "pp":
        return f"{value * 100:+.1f} pp" if value else "±0 pp"
    return f"{int(value):+d}" if value else "±0"


def _charts(section: dict[str, Any], slug: str) -> list[Markup]:
    history = section["history"]
    labels = [h["period"] for h in history]
    return [
        Markup(charts.volume(f"volume-{slug}", labels, [h["opened"] for h in history],
                             [h["resolved"] for h in history])),
        Markup(charts.met_share(f"met-{slug}", labels, [h["met_share"] for h in history],
                                [h["satisfaction"]["mean"] for h in history])),
    ]  # fmt: skip


def render(doc: dict[str, Any]) -> str:
    sections = []
    for index, section in enumerate(doc["customers"], start=1):
        slug = f"c{index}-{_slug(section['customer'])}"  # unique even if two slugs agree
        sections.append((section, slug, _charts(section, slug)))
    desk = (doc["desk"], "desk", _charts(doc["desk"], "desk"))
    template = _environment().get_template("review.html.j2")
    return template.render(doc=doc, sections=sections, desk=desk)
