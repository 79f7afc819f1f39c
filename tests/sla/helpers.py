"""In-memory ticket histories for the SLA engine, on the repository's example policies."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

from opskit.policy.config import load_config
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.model import Policy
from opskit.policy.validate import validate_files
from opskit.sla.assign import Directory
from opskit.sla.engine import Context, Untracked, evaluate
from opskit.sla.history import Change, Comment, Issue, Person
from opskit.sla.model import Clock, Metric, Ticket
from opskit.time import zones

REPO = Path(__file__).resolve().parents[2]
AGENT = Person("agent-1", "mehmet@northwind.example")
CATEGORIES = {"Open": "new", "In Progress": "indeterminate", "Resolved": "done",
              "Waiting for customer": "indeterminate", "Closed": "done"}  # fmt: skip
JIRA_NAMES = {"P1": "Highest", "P2": "High", "P3": "Medium", "P4": "Low"}


def load_policy() -> Policy:
    config = load_config(REPO / "opskit.yaml", Diagnostics())
    return validate_files(config.policy_paths, config).policy


@functools.cache
def example() -> Policy:
    return load_policy()


def berlin(text: str) -> dt.datetime:
    """Wall-clock time in Berlin (CET/CEST as the date says)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=zones.zone("Europe/Berlin"))


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@dataclass
class Story:
    """A ticket told event by event: `story.reply(at)`, `story.status(at, "Resolved")`."""

    created: dt.datetime
    priority: str = "P2"
    org: str = "Tidewater Books"  # a Standard customer
    components: tuple[str, ...] = ()
    key: str = "SUP-1"
    reporter: Person = field(
        default_factory=lambda: Person("cust-1", "colin@tidewaterbooks.example")
    )
    comments: list[Comment] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    status_now: str = "Open"
    priority_now: str = ""

    def reply(self, at: dt.datetime, public: bool = True, who: Person = AGENT) -> Story:
        self.comments.append(Comment(at, who, public))
        return self

    def status(self, at: dt.datetime, to: str) -> Story:
        done = CATEGORIES.get(to) == "done"
        was_done = CATEGORIES.get(self.status_now) == "done"
        resolved = True if done else (False if was_done else None)
        self.changes.append(Change(at, "status", self.status_now, to, "agent-1", resolved))
        self.status_now = to
        return self

    def reprioritise(self, at: dt.datetime, to: str) -> Story:
        old = JIRA_NAMES[self.priority_now or self.priority]
        self.changes.append(Change(at, "priority", old, JIRA_NAMES[to]))
        self.priority_now = to
        return self

    def issue(self) -> Issue:
        events = [c.at for c in self.comments] + [c.at for c in self.changes]
        done = CATEGORIES.get(self.status_now) == "done"
        return Issue(
            key=self.key, id="10001", summary="Printer on fire", status=self.status_now,
            status_category=CATEGORIES.get(self.status_now, "indeterminate"),
            priority=JIRA_NAMES[self.priority_now or self.priority], created=self.created,
            updated=max([self.created, *events]), reporter=self.reporter,
            organizations=(self.org,) if self.org else (), components=self.components,
            comments=tuple(sorted(self.comments, key=lambda c: c.at)),
            changes=tuple(sorted(self.changes, key=lambda c: c.at)),
            resolved_at=None if not done else self.changes[-1].at,
        )  # fmt: skip


def evaluate_story(
    story: Story, now: dt.datetime, policy: Policy | None = None,
    members: dict[str, frozenset[str]] | None = None,
) -> Ticket:  # fmt: skip
    ctx = Context(policy or example(), Directory(members or {}), dict(CATEGORIES))
    ticket = evaluate(story.issue(), ctx, now)
    assert isinstance(ticket, Ticket), ticket
    return ticket


def untracked(story: Story, now: dt.datetime, policy: Policy | None = None) -> Untracked:
    result = evaluate(story.issue(), Context(policy or example(), Directory(), {}), now)
    assert isinstance(result, Untracked), result
    return result


def clock(ticket: Ticket, metric: Metric) -> Clock:
    [found] = [c for c in ticket.clocks if c.metric is metric]
    return found


H = 3600
