"""Erlang C against published worked examples and tables, and against the simulation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.capacity.erlang import (
    Queue,
    agents_needed,
    average_wait,
    erlang_b,
    occupancy,
    service_level,
    wait_probability,
)
from opskit.capacity.simulate import poisson_tickets, simulate

# The worked example of the call-centre literature: 100 calls in 30 minutes, 180 s handle
# time (10 erlangs), 14 agents, a 20 s target.
WORKED = Queue(rate=100 / 1800, handle=180)


def test_the_worked_example() -> None:
    assert WORKED.load == pytest.approx(10)
    assert wait_probability(14, WORKED) == pytest.approx(0.174, abs=0.0005)
    assert service_level(14, WORKED, 20) == pytest.approx(0.888, abs=0.0005)
    assert average_wait(14, WORKED) == pytest.approx(7.8, abs=0.05)
    assert occupancy(14, WORKED) == pytest.approx(10 / 14)
    # 80 % in 20 s needs 14 agents (13 answer 79.6 %); 90 % needs 15 (14 answer 88.8 %)
    assert agents_needed(WORKED, 20, 0.80) == 14
    assert agents_needed(WORKED, 20, 0.90) == 15


@pytest.mark.parametrize(
    ("agents", "level"), [(11, 0.390), (12, 0.640), (13, 0.796), (14, 0.888), (15, 0.942)]
)
def test_the_worked_examples_table_of_agents(agents: int, level: float) -> None:
    assert service_level(agents, WORKED, 20) == pytest.approx(level, abs=0.0006)


@pytest.mark.parametrize(
    ("agents", "load", "blocking"),
    [(1, 1.0, 0.5), (2, 1.0, 0.2), (5, 3.0, 0.1101), (10, 5.0, 0.0184), (20, 15.0, 0.0456)],
)
def test_erlang_b_matches_the_published_table(agents: int, load: float, blocking: float) -> None:
    assert erlang_b(agents, load) == pytest.approx(blocking, abs=0.0005)


def test_a_desk_that_cannot_keep_up_answers_nobody_in_time() -> None:
    assert wait_probability(10, WORKED) == 1.0
    assert service_level(9, WORKED, 3600) == 0.0
    assert average_wait(10, WORKED) == math.inf
    assert service_level(1, Queue(0, 60), 0) == 1.0  # no tickets: nobody waits


def test_bounds_are_said_not_crashed_into() -> None:
    for bad in (lambda: Queue(-1, 60), lambda: Queue(1, 0), lambda: Queue(float("nan"), 1)):
        with pytest.raises(ValueError):
            bad()
    with pytest.raises(ValueError):
        erlang_b(10**9, 5)
    with pytest.raises(ValueError):
        agents_needed(WORKED, 20, 1.0)


def test_thousands_of_agents_are_fine() -> None:
    big = Queue(rate=50, handle=100)  # 5,000 erlangs
    needed = agents_needed(big, 20, 0.9)
    assert 5_000 < needed < 5_200
    assert service_level(needed, big, 20) >= 0.9 > service_level(needed - 1, big, 20)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 60), st.floats(0.05, 0.98), st.floats(0, 600))
def test_more_agents_never_answer_fewer_in_time(
    agents: int, utilisation: float, target: float
) -> None:
    queue = Queue(rate=agents * utilisation / 300, handle=300)
    assert service_level(agents + 1, queue, target) >= service_level(agents, queue, target) - 1e-12
    assert 0 <= service_level(agents, queue, target) <= 1


@pytest.mark.parametrize(("agents", "seed"), [(14, 1), (12, 2), (11, 3)])
def test_the_simulation_agrees_with_erlang_c_where_both_apply(agents: int, seed: int) -> None:
    result = simulate(agents, poisson_tickets(WORKED.rate, WORKED.handle, 200_000, seed))
    assert result.within(20) == pytest.approx(service_level(agents, WORKED, 20), abs=0.01)
    waited = sum(1 for w in result.waits if w > 0) / result.tickets
    assert waited == pytest.approx(wait_probability(agents, WORKED), abs=0.01)

