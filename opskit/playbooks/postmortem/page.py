"""The postmortem as one HTML page, in the service review's style: autoescaped, no scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).parents[1] / "templates"
REVIEW_TEMPLATES = Path(__file__).parents[2] / "sla" / "review" / "templates"


def html(doc: dict[str, Any]) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES, REVIEW_TEMPLATES]), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    return env.get_template("postmortem.html.j2").render(doc=doc)
