"""The desk simulation: equal to Erlang C where both apply, and what Erlang C cannot do."""

from __future__ import annotations

import datetime as dt

import pytest

from opskit.capacity.assess import Promise
from opskit.capacity.desk_sim import simulate
from opskit.capacity.erlang import Queue, service_level
from opskit.capacity.supply import Staffing
from opskit.time import zones
from tests.sla.helpers import example

MONDAY = zones.from_datetime(dt.datetime(2026, 11, 2, tzinfo=dt.UTC))  # no holiday that week
WEEK_HOURS = 168
P1, P4 = ("Premium", "P1"), ("Premium", "P4")


def staffing(people: list[int], shrinkage: float = 0.0) -> Staffing:
    return Staffing(MONDAY, tuple(people), tuple(p * (1 - shrinkage) for p in people))


def run(staff: Staffing, rates: dict[tuple[str, str], float], handle: float, seed: int = 3):  # type: ignore[no-untyped-def]
    policy = example()
    promises = {k: Promise(k[0], k[1], 0, 0.9, handle) for k in rates}
    hourly = {k: dict.fromkeys(range(WEEK_HOURS), r / 3600) for k, r in rates.items()}
    levels = {p.name: p.level for p in policy.priorities.values()}
    return simulate(staff, "UTC", hourly, promises, dict(policy.tiers), levels, seed=seed)


def test_one_queue_of_poisson_tickets_agrees_with_erlang_c() -> None:
    weeks = 4
    found = run(staffing([3] * WEEK_HOURS * weeks), {P1: 2.0}, handle=45 * 60)
    expected = service_level(3, Queue(2 / 3600, 45 * 60), 15 * 60)  # Premium P1: 15m
    assert found.tickets[P1] > 10_000
    assert found.share(P1) == pytest.approx(expected, abs=0.02)


def test_priorities_go_first_so_p1_does_better_than_first_come_first_served() -> None:
    found = run(staffing([2] * WEEK_HOURS * 2), {P1: 0.3, P4: 2.0}, handle=30 * 60)
    fcfs = service_level(2, Queue(2.3 / 3600, 30 * 60), 15 * 60)
    share = found.share(P1)
    assert share is not None and share > fcfs + 0.05


def test_shrinkage_keeps_people_away_from_the_desk() -> None:
    plain = run(staffing([2] * WEEK_HOURS * 2), {P1: 2.0}, handle=40 * 60)
    shrunk = run(staffing([2] * WEEK_HOURS * 2, shrinkage=0.3), {P1: 2.0}, handle=40 * 60)
    assert (shrunk.share(P1) or 0) < (plain.share(P1) or 0) - 0.05


def test_a_weekend_ticket_of_a_business_hours_tier_is_due_in_the_week() -> None:
    standard = ("Standard", "P3")
    weekdays = [1 if (h // 24) < 5 and 8 <= h % 24 < 16 else 0 for h in range(WEEK_HOURS)]
    found = run(staffing(weekdays * 2), {standard: 0.2}, handle=20 * 60)
    weekend = list(range(5 * 24, 7 * 24))
    answered = sum(found.met_by_hour[(standard, h)] for h in weekend)
    arrived = sum(found.by_hour[(standard, h)] for h in weekend)
    assert arrived > 0 and answered == arrived  # 2bd from Monday's opening: always in time
    nobody = run(staffing([0] * WEEK_HOURS * 2), {standard: 0.2}, handle=20 * 60)
    assert nobody.tickets[standard] > 0 and nobody.share(standard) == 0.0


def test_the_same_seed_gives_the_same_figures() -> None:
    staff = staffing([1] * WEEK_HOURS)
    a, b = run(staff, {P1: 1.0}, 1800, seed=5), run(staff, {P1: 1.0}, 1800, seed=5)
    c = run(staff, {P1: 1.0}, 1800, seed=6)
    assert (a.tickets, a.met) == (b.tickets, b.met)
    assert (a.tickets, a.met) != (c.tickets, c.met)


def test_a_tier_is_answered_only_by_the_rotations_it_names() -> None:
    """Premium may use the desk and the engineers; Standard the desk alone, which nobody
    staffs here: Standard waits (its office-hours clock aside, every ticket is late), and
    Premium is answered by the engineers."""
    policy = example()
    premium, standard = ("Premium", "P3"), ("Standard", "P3")
    rates = {premium: 0.5, standard: 0.5}
    promises = {k: Promise(k[0], k[1], 0, 0.9, 20 * 60) for k in rates}
    hourly = {k: dict.fromkeys(range(WEEK_HOURS), r / 3600) for k, r in rates.items()}
    levels = {p.name: p.level for p in policy.priorities.values()}
    engineers = (staffing([2] * WEEK_HOURS * 2), frozenset({"Premium"}))
    desk = (staffing([0] * WEEK_HOURS * 2), frozenset({"Premium", "Standard"}))
    routed = simulate(staffing([2] * WEEK_HOURS * 2), "UTC", hourly, promises,
                      dict(policy.tiers), levels, seed=3, groups=[engineers, desk])  # fmt: skip
    assert routed.share(standard) == 0.0 and (routed.share(premium) or 0) > 0.95
    pooled = simulate(staffing([2] * WEEK_HOURS * 2), "UTC", hourly, promises,
                      dict(policy.tiers), levels, seed=3)  # fmt: skip
    assert (pooled.share(standard) or 0) > 0.9  # one pool: the engineers answer Standard too
