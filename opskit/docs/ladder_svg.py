"""The layout of an escalation ladder's diagram: a box per step, arrows with the delays.

Only geometry and (truncated) labels are computed here; `ladder.svg.j2` draws them,
escaped like every other page text. Full names stay in the text list beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opskit.docs.words import elapsed_words
from opskit.oncall.ladder import delay_seconds
from opskit.policy.model import EscalationLadder, Policy, Step

WIDTH, BOX_X, BOX_W = 640, 60, 560
LINE, PAD, HEAD, GAP = 20, 12, 24, 56
MAX_CHARS = 64  # what fits in a box at the diagram's font size


def clip(text: str, limit: int = MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(slots=True)
class Box:
    """A box of a ladder diagram (a step, or the ending): its place, title and clipped lines."""

    y: int
    height: int
    title: str
    lines: list[tuple[int, str]] = field(default_factory=list)  # (baseline y, text)


@dataclass(slots=True)
class Arrow:
    """The arrow from one step's box to the next, labelled with the escalation delay."""

    y1: int
    y2: int
    label: str


@dataclass(slots=True)
class Diagram:
    """An escalation ladder's diagram laid out: its size, boxes, arrows and ending."""

    width: int
    height: int
    boxes: list[Box]
    arrows: list[Arrow]
    end: Box
    box_x: int = BOX_X
    box_w: int = BOX_W


def targets(policy: Policy, step: Step) -> list[str]:
    rotations = [f"On call in rotation {r.name}" for r in step.rotations]
    people = [f"{p.full_name} ({p.name})" if p.full_name else p.name for p in step.people]
    return rotations + people


def ending(ladder: EscalationLadder) -> str:
    if ladder.repeat:
        times = "once more" if ladder.repeat == 1 else f"{ladder.repeat} more times"
        return f"Still no acknowledgement: start again at step 1, {times}"
    return "Still no acknowledgement: nobody else is paged"


def layout(policy: Policy, ladder: EscalationLadder) -> Diagram:
    y, boxes, arrows = 16, [], []
    for index, step in enumerate(ladder.steps, start=1):
        lines = targets(policy, step)
        height = PAD + HEAD + LINE * len(lines) + PAD // 2
        box = Box(y, height, f"Step {index}: page")
        box.lines = [(y + PAD + HEAD + LINE * (i + 1) - 6, clip(t)) for i, t in enumerate(lines)]
        boxes.append(box)
        wait = elapsed_words(delay_seconds(step.escalate_after))
        arrows.append(Arrow(y + height, y + height + GAP, clip(f"not acknowledged in {wait}")))
        y += height + GAP
    end = Box(y, PAD * 2 + LINE, clip(ending(ladder), 72))
    return Diagram(WIDTH, y + end.height + 16, boxes, arrows, end)


def description(policy: Policy, ladder: EscalationLadder) -> str:
    """The diagram in one sentence, for its accessible name."""
    parts = [
        f"step {i} pages {', '.join(targets(policy, s)) or 'nobody'}, then waits "
        f"{elapsed_words(delay_seconds(s.escalate_after))}"
        for i, s in enumerate(ladder.steps, start=1)
    ]
    return f"Escalation ladder {ladder.name}: " + "; ".join(parts) + f". {ending(ladder)}."
