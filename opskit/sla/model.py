"""What the SLA engine knows of a ticket: its clocks, their segments and states.

A clock is one metric of one ticket (first response, next update, resolution). It
runs on the tier's calendar from its start, stops in the tier's pause statuses, and
stops for good when it is met (or, for resolution, when the ticket is resolved).
Times are aware datetimes in UTC; business time is whole seconds of open calendar.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from opskit.time.duration import Duration


class Metric(enum.StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_UPDATE = "next_update"
    RESOLUTION = "resolution"


class State(enum.StrEnum):
    RUNNING = "running"  # counting, less than at_risk_percent of the target gone
    PAUSED = "paused"  # in a pause status: not counting
    AT_RISK = "at_risk"  # counting (or paused) with at_risk_percent or more gone
    MET = "met"  # stopped within its target
    BREACHED = "breached"  # past its target, still open or stopped late


class SegmentKind(enum.StrEnum):
    COUNTING = "counting"  # the clock ran (business time counted only where the calendar is open)
    PAUSED = "paused"  # a pause status held it


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a clock's life, counting or paused, from `start` to `end`."""

    kind: SegmentKind
    start: dt.datetime
    end: dt.datetime | None  # None: still going at `now`
    reason: str = ""  # e.g. the pause status, or "priority P2 -> P1 (restart)"


@dataclass(frozen=True, slots=True)
class Clock:
    """One SLA metric of one ticket: its target, time spent and left, and its state."""

    metric: Metric
    target: Duration
    start: dt.datetime
    stop: dt.datetime | None  # when it was met or the ticket resolved; None while open
    deadline: dt.datetime | None  # when it falls due if it keeps counting (None: paused)
    elapsed: int  # business seconds counted
    remaining: int  # business seconds left; negative once breached
    state: State
    segments: tuple[Segment, ...] = ()
    why: str = ""  # one line: why this state (what makes it at risk, what met it)
    # Optional extras (defaults keep the contract): the priority whose target applies, the
    # target in business seconds, and earlier cycles of the same metric (next update: one
    # cycle per public agent reply; the clock itself is the latest).
    priority: str = ""
    budget: int = 0
    earlier: tuple[Clock, ...] = ()

    @property
    def open(self) -> bool:
        """Still going: what `sla status` lists and `sla enforce` may act on."""
        return self.stop is None


@dataclass(frozen=True, slots=True)
class Ticket:
    """A tracked ticket as the SLA engine sees it: its tier, priority and clocks."""

    key: str
    summary: str
    status: str
    priority: str  # the opskit Priority name now in force
    tier: str  # the SlaTier name that applies
    tier_source: str  # how it was chosen: "customer <name>" or "service <name>"
    customer: str | None
    service: str | None
    created: dt.datetime
    updated: dt.datetime
    labels: frozenset[str] = frozenset()
    clocks: tuple[Clock, ...] = field(default=())
    # Optional extras: the tier's calendar and its zone, and the priority changes seen.
    calendar: str = ""
    timezone: str = "UTC"
    priority_changes: tuple[PriorityChange, ...] = ()


@dataclass(frozen=True, slots=True)
class PriorityChange:
    """A change of a ticket's priority, and what the tier's rule did to its clocks."""

    at: dt.datetime
    old: str  # opskit Priority names ("" when the Jira priority maps to none)
    new: str
    mode: str  # the tier's priority_change: "retarget" or "restart"
    effect: str  # one line: what it did to the clocks
