"""A ticket's statuses and priorities over time, cut at `now` (later events have not happened).

A status is done when the edit that entered it set the resolution (Jira's own mark of a
resolved issue); when the edit did not touch the resolution, when the status's category is
"done" (the categories of the statuses seen on the issues read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from opskit.sla.history import Change, Issue


@dataclass(frozen=True, slots=True)
class Spell:
    """A stretch of a ticket in one status, and whether that status counts as resolved."""

    start: dt.datetime
    end: dt.datetime | None  # None: still so at `now`
    status: str
    done: bool


def _changes(issue: Issue, field: str, now: dt.datetime) -> list[Change]:
    return [c for c in issue.changes if c.field == field and c.at <= now]


def _is_done(change: Change, categories: Mapping[str, str]) -> bool:
    if change.resolved is not None:
        return change.resolved
    return categories.get(change.new or "") == "done"


def status_spells(issue: Issue, now: dt.datetime, categories: Mapping[str, str]) -> list[Spell]:
    changes = _changes(issue, "status", now)
    first = changes[0].old if changes else None
    status = first or issue.status
    if changes:
        done = categories.get(status) == "done"
    else:
        done = issue.done or categories.get(status) == "done"
    start = issue.created
    spells: list[Spell] = []
    for change in changes:
        spells.append(Spell(start, change.at, status, done))
        start, status, done = change.at, change.new or "", _is_done(change, categories)
    spells.append(Spell(start, None, status, done))
    if not changes and done and issue.resolved_at and issue.resolved_at <= now:
        # created straight into a done status, or a history we cannot see: Jira's date
        spells = [Spell(issue.created, issue.resolved_at, status, False),
                  Spell(issue.resolved_at, None, status, True)]  # fmt: skip
    return [s for s in spells if s.end is None or s.end > s.start]


def priority_points(issue: Issue, now: dt.datetime) -> list[tuple[dt.datetime, str]]:
    """(since, Jira priority name) from creation, one entry per change."""
    changes = _changes(issue, "priority", now)
    points = [(issue.created, (changes[0].old if changes else None) or issue.priority)]
    points += [(c.at, c.new or "") for c in changes]
    return points


def done_spans(spells: list[Spell]) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The periods the ticket was resolved, merged."""
    out: list[tuple[dt.datetime, dt.datetime | None]] = []
    for s in spells:
        if not s.done:
            continue
        if out and out[-1][1] == s.start:
            out[-1] = (out[-1][0], s.end)
        else:
            out.append((s.start, s.end))
    return out
