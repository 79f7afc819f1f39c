"""The review's charts: pygal renders each to SVG, inlined in the HTML page.

pygal's output is made self-contained and deterministic here: no scripts (the page needs
none, and a viewer must not fetch any), no generator comment with the day's date, and the
random chart id replaced by one derived from the chart's name. Each chart carries a
<title> and a <desc> and the role of an image, so a screen reader announces what it shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

import pygal
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Colours dark enough to read on white (WCAG AA for the labels drawn in them).
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1f2328",
    foreground_strong="#1f2328", foreground_subtle="#57606a",
    colors=("#0b5cad", "#8a4b00", "#1a7f37", "#a40e26"),
    font_family="system-ui, sans-serif", title_font_size=15, label_font_size=12,
    major_label_font_size=12, legend_font_size=12, value_font_size=11,
)  # fmt: skip


def _finish(svg: str, name: str, title: str, desc: str) -> str:
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    svg = _ID.sub(f"chart-{name}", svg)
    head = (f'<svg role="img" aria-labelledby="chart-{name}-title chart-{name}-desc" '
            f'focusable="false"')  # fmt: skip
    svg = svg.replace("<svg", head, 1)
    return svg.replace(
        ">", f'><title id="chart-{name}-title">{escape(title)}</title>'
        f'<desc id="chart-{name}-desc">{escape(desc)}</desc>', 1,
    )  # fmt: skip


def _chart(kind: type[pygal.graph.graph.Graph], labels: Sequence[str], **options: object) -> pygal.graph.graph.Graph:  # fmt: skip
    chart = kind(
        js=[], disable_xml_declaration=True, width=720, height=300, explicit_size=False,
        style=STYLE, show_legend=True, legend_at_bottom=True, legend_at_bottom_columns=3,
        x_label_rotation=0 if len(labels) <= 6 else 30, print_values=False, margin=12, margin_bottom=24,
        **options,
    )  # fmt: skip
    chart.x_labels = list(labels)
    return chart


def volume(name: str, labels: Sequence[str], opened: Sequence[int], resolved: Sequence[int]) -> str:  # fmt: skip
    top = max([*opened, *resolved, 1])
    step = max(1, -(-top // 5))  # whole tickets, about five lines
    chart = _chart(pygal.Bar, labels, title="Tickets opened and resolved",
                   range=(0, step * -(-top // step)), y_labels=list(range(0, top + step, step)))  # fmt: skip
    chart.add("Opened", list(opened))
    chart.add("Resolved", list(resolved))
    desc = "; ".join(f"{p}: {o} opened, {r} resolved" for p, o, r in zip(labels, opened, resolved, strict=True))  # fmt: skip
    return _finish(chart.render(is_unicode=True), name, "Tickets opened and resolved", desc)


def met_share(name: str, labels: Sequence[str], shares: Sequence[float | None],
              satisfaction: Sequence[float | None]) -> str:  # fmt: skip
    """Clocks met (percent) per period, and the mean rating on a second axis when rated."""
    chart = _chart(pygal.Line, labels, title="Clocks met, and satisfaction",
                   range=(0, 100), secondary_range=(1, 5), dots_size=3,
                   y_labels=[0, 25, 50, 75, 100])  # fmt: skip
    chart.add("Met (%)", [None if s is None else round(s * 100, 1) for s in shares])
    rated = any(v is not None for v in satisfaction)
    if rated:
        chart.add("Satisfaction (1-5)", list(satisfaction), secondary=True)
    desc = "; ".join(
        f"{p}: " + ("no clock stopped" if s is None else f"{s:.0%} met")
        + ("" if not rated or r is None else f", satisfaction {r:.2f}")
        for p, s, r in zip(labels, shares, satisfaction, strict=True)
    )  # fmt: skip
    return _finish(chart.render(is_unicode=True), name, "Clocks met, and satisfaction", desc)
