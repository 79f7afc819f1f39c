"""Hours where a promise cannot be kept, and how many people are missing there."""

from __future__ import annotations

import pytest

from opskit.capacity.assess import Promise, assess
from opskit.capacity.erlang import Queue, service_level

ALWAYS = [True] * 168
KEY = ("Gold", "P1")


def _one(
    rate: dict[int, float],
    people: dict[int, int],
    *,
    target: float = 20,
    goal: float = 0.85,
    handle: float = 180,
    shrinkage: float = 0.0,
    open_hours: list[bool] = ALWAYS,
):  # type: ignore[no-untyped-def]
    promise = Promise("Gold", "P1", target, goal, handle)
    agents = {h: n * (1 - shrinkage) for h, n in people.items()}
    return assess({KEY: rate}, {KEY: promise}, people, agents, {"Gold": open_hours},
                  shrinkage=shrinkage)  # fmt: skip


def test_the_worked_example_hour_is_short_where_staffing_is_thin() -> None:
    rate = 100 / 1800  # the worked example: 10 erlangs at 180 s
    found = _one({9: rate, 14: rate, 20: 0.0}, {9: 14, 14: 12})
    assert [h.hour for h in found] == [9, 14]  # an hour without tickets is no hour to staff
    nine, two = found
    assert nine.levels[KEY] == pytest.approx(0.888, abs=0.0005) and nine.missing == 0
    assert two.levels[KEY] == pytest.approx(0.640, abs=0.0005)
    assert (two.needed[KEY], two.missing) == (14, 2)
    assert two.occupancy == pytest.approx(10 / 12)
    assert two.short({KEY: Promise("Gold", "P1", 20, 0.85, 180)}) == [KEY]


def test_an_hour_with_tickets_and_nobody_answers_none() -> None:
    [hour] = _one({3: 0.001}, {}, handle=600, target=900, goal=0.9)
    assert (hour.people, hour.levels[KEY]) == (0, 0.0)
    assert hour.missing == hour.needed[KEY] >= 1


def test_shrinkage_slows_the_people_on_shift() -> None:
    rate = 100 / 1800
    [plain] = _one({9: rate}, {9: 14})
    [shrunk] = _one({9: rate}, {9: 14}, shrinkage=0.3)
    # 30 % shrinkage: each ticket takes 180 / 0.7 s of a shift, so 14 people carry 14.3 erlangs
    assert shrunk.levels[KEY] == 0.0 and shrunk.missing > 0
    slower = service_level(20, Queue(rate, 180 / 0.7), 20)
    assert slower > 0.85 and shrunk.needed[KEY] <= 20 and plain.missing == 0


def test_a_long_target_is_kept_if_the_desk_keeps_up_over_its_span() -> None:
    # a burst hour the desk cannot carry alone, then quiet hours: an eight-hour target holds
    burst = {9: 3 / 3600, **dict.fromkeys(range(10, 17), 0.2 / 3600)}
    people = dict.fromkeys(range(9, 17), 1)
    [nine, *_] = _one(burst, people, target=8 * 3600, goal=0.9, handle=1800)
    assert nine.levels[KEY] > 0.9 and nine.missing == 0
    [nine_short, *_] = _one(burst, people, target=900, goal=0.9, handle=1800)
    assert nine_short.levels[KEY] == 0.0 and nine_short.missing >= 1


def test_the_span_counts_open_hours_of_the_tier_only() -> None:
    open_hours = [h % 24 in range(8, 18) for h in range(168)]  # 08:00-18:00 every day
    rate = {17: 1 / 3600, **dict.fromkeys(range(24 + 8, 24 + 11), 0.1 / 3600)}
    people = {17: 1, **dict.fromkeys(range(24 + 8, 24 + 11), 1)}  # nobody at night
    [five, *_] = _one(rate, people, target=3 * 3600, goal=0.5, handle=1800, open_hours=open_hours)
    # its span is 17:00 and the next morning's 08:00-10:00, not the empty night
    assert five.levels[KEY] > 0.5
