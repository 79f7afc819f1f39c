"""The marker opskit puts on its comments, and the rule that keeps one of each.

A comment made for (metric, state) ends with a marker line (small and grey in Jira); a
comment that notifies the on-call person has its own marker. Before posting, the ticket's
comments are searched for the marker; after posting, they are listed again and every
marked comment but the one with the lowest id (Jira's ids increase as comments are made)
is deleted, if opskit's account wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opskit.sla.model import Metric, State

_MARKER = re.compile(r"\(opskit sla: ([a-z_]+) ([a-z_]+)( notify)?\)")


@dataclass(frozen=True, slots=True)
class Marker:
    """The metric and state an enforce comment is for, and whether it tells whoever is on call."""

    metric: Metric
    state: State
    notify: bool = False

    @property
    def text(self) -> str:
        return f"(opskit sla: {self.metric.value} {self.state.value}{' notify' if self.notify else ''})"

    def sign(self, body: str) -> str:
        """The body with the marker line (Jira wiki markup: a grey line) at its end."""
        return f"{body.rstrip()}\n\n{{color:#97a0af}}{self.text}{{color}}"


@dataclass(frozen=True, slots=True)
class MarkedComment:
    """A comment on a ticket that carries a marker: its id, author and marker."""

    id: int
    author: str  # account id
    marker: Marker


def marker_of(body: str) -> Marker | None:
    found = _MARKER.findall(body)
    if not found:
        return None
    metric, state, notify = found[-1]
    try:
        return Marker(Metric(metric), State(state), bool(notify))
    except ValueError:
        return None


def surplus(comments: list[MarkedComment], marker: Marker) -> list[MarkedComment]:
    """The marked comments to delete: all but the lowest id, of the same author as it.

    Whoever applies this rule keeps the same comment (the lowest id never changes once it
    exists), so two runs deleting at once never delete every copy.
    """
    same = sorted((c for c in comments if c.marker == marker), key=lambda c: c.id)
    if not same:
        return []
    kept = same[0]
    return [c for c in same[1:] if c.author == kept.author]
