"""A period's figures from the engine's tickets, evaluated at the period's end.

- `opened`: tickets created in the period; `resolved`: tickets whose resolution clock
  stopped in it (the last resolution, if reopened).
- Per metric and priority (the priority whose target applied): clocks that stopped in the
  period, `met` or `breached`, and `open_breached`, clocks still open at the end and past
  their target. Every next-update cycle is a clock of its own.
- Per metric: the business time used by the clocks that stopped in the period, `median`
  (the mean of the two middle values for an even count) and `p90` (nearest rank).
- `worst`: the clocks most over target, stopped breached in the period or open and
  breached at its end, at most `WORST`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from opskit.sla.model import Clock, Metric, State, Ticket
from opskit.sla.review.period import Period
from opskit.sla.review.satisfaction import Satisfaction

WORST = 5
METRICS = tuple(Metric)


@dataclass(frozen=True, slots=True)
class Tally:
    """Clocks of one metric and priority in a period: met, breached, and open past target."""

    met: int = 0
    breached: int = 0
    open_breached: int = 0

    @property
    def share(self) -> float | None:
        """The share of stopped clocks met, 0..1 (None: none stopped)."""
        stopped = self.met + self.breached
        return None if not stopped else self.met / stopped


@dataclass(frozen=True, slots=True)
class Times:
    """The business time used by the clocks of one metric that stopped in a period."""

    count: int
    median: int | None  # business seconds
    p90: int | None


@dataclass(frozen=True, slots=True)
class Case:
    """One of a period's worst clocks: stopped late, or still open past its target."""

    key: str
    metric: Metric
    priority: str
    state: str  # "breached" (stopped late) or "open" (still open, past its target)
    over: int  # business seconds over target


@dataclass
class Figures:
    """A period's SLA figures: tickets opened and resolved, tallies, times, worst, CSAT."""

    opened: int = 0
    resolved: int = 0
    tallies: dict[tuple[Metric, str], Tally] = field(default_factory=dict)
    times: dict[Metric, Times] = field(default_factory=dict)
    worst: list[Case] = field(default_factory=list)
    satisfaction: Satisfaction = field(default_factory=lambda: Satisfaction(0, None, 0))

    @property
    def breached(self) -> int:
        """Clocks stopped late in the period or open and past target at its end."""
        return sum(t.breached + t.open_breached for t in self.tallies.values())

    @property
    def met_share(self) -> float | None:
        """The share of the period's stopped clocks that met their target, every metric."""
        met = sum(t.met for t in self.tallies.values())
        stopped = met + sum(t.breached for t in self.tallies.values())
        return None if not stopped else met / stopped


def cycles(ticket: Ticket) -> Iterator[Clock]:
    for clock in ticket.clocks:
        yield from clock.earlier
        yield clock


def stopped_in(clock: Clock, period: Period) -> bool:
    return clock.stop is not None and period.start <= clock.stop < period.end


def compute(
    tickets: Iterable[Ticket], period: Period, ratings: Mapping[str, int] | None = None
) -> Figures:
    """The figures of tickets evaluated at the period's end (or earlier, for a period
    still going); `ratings` (ticket key -> CSAT) count for tickets resolved in it."""
    figures = Figures()
    rated: list[int] = []
    counts: dict[tuple[Metric, str], list[int]] = {}
    used: dict[Metric, list[int]] = {m: [] for m in METRICS}
    cases: list[Case] = []
    for ticket in tickets:
        figures.opened += period.start <= ticket.created < period.end
        for clock in cycles(ticket):
            priority = clock.priority or ticket.priority
            tally = counts.setdefault((clock.metric, priority), [0, 0, 0])
            if stopped_in(clock, period):
                late = clock.state is State.BREACHED
                tally[1 if late else 0] += 1
                used[clock.metric].append(clock.elapsed)
                if clock.metric is Metric.RESOLUTION:
                    figures.resolved += 1
                    if ratings and ticket.key in ratings:
                        rated.append(ratings[ticket.key])
                if late:
                    cases.append(Case(ticket.key, clock.metric, priority, "breached",
                                      -clock.remaining))  # fmt: skip
            elif clock.open and clock.state is State.BREACHED:
                tally[2] += 1
                cases.append(Case(ticket.key, clock.metric, priority, "open", -clock.remaining))
    figures.tallies = {k: Tally(*v) for k, v in sorted(counts.items(), key=_order) if any(v)}
    figures.times = {m: _times(used[m]) for m in METRICS}
    cases.sort(key=lambda c: (-c.over, c.key, METRICS.index(c.metric)))
    figures.worst = cases[:WORST]
    figures.satisfaction = Satisfaction.of(rated)
    return figures


def _order(item: tuple[tuple[Metric, str], list[int]]) -> tuple[int, str]:
    (metric, priority), _ = item
    return METRICS.index(metric), priority


def _times(values: list[int]) -> Times:
    if not values:
        return Times(0, None, None)
    ranked = sorted(values)
    p90 = ranked[math.ceil(0.9 * len(ranked)) - 1]
    return Times(len(ranked), round(statistics.median(ranked)), p90)
