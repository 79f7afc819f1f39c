"""The plan: per ticket, metric and state, the actions the tier asks for and their status."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from opskit.sla.enforce.markers import Marker
from opskit.sla.enforce.pagerduty_side import Trigger
from opskit.sla.enforce.record import Raise
from opskit.sla.model import Clock, Ticket


class Kind(enum.StrEnum):
    LABEL = "label"
    RAISE_PRIORITY = "raise_priority"
    COMMENT = "comment"
    NOTIFY_ON_CALL = "notify_on_call"
    PAGE = "page"


ORDER = list(Kind)  # the order actions run in (see the package docstring)


class Status(enum.StrEnum):
    PENDING = "pending"  # to do (what --dry-run shows)
    ALREADY = "already"  # done before, by this run's predecessors: nothing to do
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"  # not tried: an earlier action on the same target failed


@dataclass(slots=True)
class Action:
    """One thing enforce does for a clock (label, raise, comment, notify, page) and how it went."""

    kind: Kind
    what: str  # one line for people
    status: Status = Status.PENDING
    label: str | None = None
    raised: Raise | None = None
    jira_priority: str | None = None  # the Jira name to set; None: only record the raise
    intent_written: bool = False  # the raise's record was already on the ticket
    body: str | None = None  # a comment's text, marker included
    public: bool = False
    marker: Marker | None = None
    surplus: tuple[int, ...] = ()  # duplicate marked comments to delete
    trigger: Trigger | None = None
    note: str = ""  # what happened, when it was not simply done
    error: str | None = None

    @property
    def target(self) -> str:
        return "pagerduty" if self.kind is Kind.PAGE else "jira"


@dataclass(slots=True)
class Work:
    """One clock of one ticket that the tier says to act on."""

    ticket: Ticket
    clock: Clock
    actions: list[Action] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Plan:
    """What enforce does in one run, clock by clock; in a dry run, only what it would do."""

    works: list[Work] = field(default_factory=list)
    dry_run: bool = True

    def actions(self) -> list[Action]:
        return [a for w in self.works for a in w.actions]

    def count(self, status: Status) -> int:
        return sum(a.status is status for a in self.actions())

    def warnings(self) -> list[str]:
        return [
            f"{w.ticket.key} {w.clock.metric.value}: {text}"
            for w in self.works
            for text in w.warnings
        ]
