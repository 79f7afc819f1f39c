"""Warning signs: named signals, each with thresholds from the customer's tier.

Every signal reads the customer's history of periods (oldest first, the reviewed period
last) and says, in one line, why the customer is worth a call. Thresholds and defaults:
`opskit.policy.model.SIGNAL_DEFAULTS`, overridden per tier under `review.signals`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from opskit.policy.model import ReviewPolicy
from opskit.sla.review.availability import Availability
from opskit.sla.review.figures import Figures
from opskit.sla.review.period import Period
from opskit.sla.review.usage import Series, mean_in

BASELINE = 3  # periods before the reviewed one that volume is compared with


@dataclass(frozen=True, slots=True)
class Signal:
    """A warning sign raised for a customer, with the line that says why."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What the signals of one customer look at."""

    periods: Sequence[Period]  # oldest first; the reviewed period last
    history: Sequence[Figures]  # one per period
    last_contact: dt.datetime | None  # the latest ticket opened, up to as_of
    as_of: dt.datetime
    availability: Sequence[Availability]  # the reviewed period's, per service
    usage: Series | None
    review: ReviewPolicy
    # per period: did the desk open any ticket? A period where nobody did is before the
    # data began (or the desk's first days), not a customer's silence: no baseline there
    desk_active: Sequence[bool] = ()


def _baseline(facts: Facts) -> float | None:
    active = list(facts.desk_active) or [True] * len(facts.history)
    before = [f.opened for f, on in zip(facts.history[:-1], active[:-1], strict=True) if on]
    before = before[-BASELINE:]
    return statistics.fmean(before) if before else None


def volume_drop(f: Facts, t: dict[str, float]) -> str | None:
    base, now = _baseline(f), f.history[-1].opened
    if base is None or base < t["min_baseline"] or now > base * (1 - t["percent"] / 100):
        return None
    return f"{now} ticket(s) opened, {1 - now / base:.0%} below the mean of {base:.1f} before"


def volume_surge(f: Facts, t: dict[str, float]) -> str | None:
    base, now = _baseline(f), f.history[-1].opened
    if base is None or now < t["min_tickets"] or now < base * (1 + t["percent"] / 100):
        return None
    rise = "from none" if not base else f"{now / base - 1:.0%} above the mean of {base:.1f}"
    return f"{now} ticket(s) opened, {rise} before"


def breaches_up(f: Facts, t: dict[str, float]) -> str | None:
    if len(f.history) < 2:
        return None
    now, before = f.history[-1].breached, f.history[-2].breached
    if now - before < t["by"]:
        return None
    return f"{now} breached clock(s), up from {before}"


def satisfaction_down(f: Facts, t: dict[str, float]) -> str | None:
    if len(f.history) < 2:
        return None
    now, before = f.history[-1].satisfaction, f.history[-2].satisfaction
    if now.mean is None or before.mean is None or min(now.ratings, before.ratings) < t["min_ratings"]:  # fmt: skip
        return None
    if before.mean - now.mean < t["by"]:
        return None
    return f"satisfaction {now.mean:.2f} of 5, down from {before.mean:.2f}"


def no_contact(f: Facts, t: dict[str, float]) -> str | None:
    weeks = int(t["weeks"])
    if f.last_contact is not None and f.as_of - f.last_contact < dt.timedelta(weeks=weeks):
        return None
    if f.last_contact is None:
        return f"no ticket in the {len(f.periods)} period(s) read"
    days = (f.as_of - f.last_contact).days
    return f"no ticket for {days} days (since {f.last_contact:%Y-%m-%d})"


def usage_drop(f: Facts, t: dict[str, float]) -> str | None:
    if f.usage is None or len(f.periods) < 2:
        return None
    now, before = mean_in(f.usage, f.periods[-1]), mean_in(f.usage, f.periods[-2])
    if now is None or before is None or before <= 0 or now > before * (1 - t["percent"] / 100):
        return None
    return f"usage {1 - now / before:.0%} below the period before ({now:,.0f} vs {before:,.0f})"


def availability_missed(f: Facts, t: dict[str, float]) -> str | None:
    target = f.review.availability_percent
    if target is None:
        return None
    below = [a for a in f.availability if a.share * 100 < target]
    if not below:
        return None
    return "; ".join(f"{a.service} up {a.share:.3%} against {target:g}%" for a in below)


SIGNALS: dict[str, Callable[[Facts, dict[str, float]], str | None]] = {
    "volume-drop": volume_drop,
    "volume-surge": volume_surge,
    "breaches-up": breaches_up,
    "satisfaction-down": satisfaction_down,
    "no-contact": no_contact,
    "usage-drop": usage_drop,
    "availability-missed": availability_missed,
}


def raised(facts: Facts) -> list[Signal]:
    """The signals the customer raises, in SIGNALS order."""
    out = []
    for name, check in SIGNALS.items():
        thresholds = facts.review.signals.get(name)
        if thresholds is None:
            continue
        reason = check(facts, thresholds)
        if reason is not None:
            out.append(Signal(name, reason))
    return out
