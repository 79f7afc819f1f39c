"""Hours where a promise cannot be kept, and how many people are missing there."""

from __future__ import annotations

import math

import pytest

from opskit.capacity.assess import Promise, assess
from opskit.capacity.erlang import Queue, service_level

ALWAYS = [True] * 168
CLOSED = [False] * 168  # no calendar: only the hours with tickets are assessed
KEY = ("Gold", "P1")


def _one(
    rate: dict[int, float],
    people: dict[int, int],
    *,
    target: float = 20,
    goal: float = 0.85,
    handle: float = 180,
    shrinkage: float = 0.0,
    open_hours: list[bool] = CLOSED,
):  # type: ignore[no-untyped-def]
    promise = Promise("Gold", "P1", target, goal, handle)
    agents = {h: n * (1 - shrinkage) for h, n in people.items()}
    return assess({KEY: rate}, {KEY: promise}, people, agents, {"Gold": open_hours},
                  shrinkage=shrinkage)  # fmt: skip


def test_the_worked_example_hour_is_short_where_staffing_is_thin() -> None:
    rate = 100 / 1800  # the worked example: 10 erlangs at 180 s
    found = _one({9: rate, 14: rate, 20: 0.0}, {9: 14, 14: 12})
    assert [h.hour for h in found] == [9, 14]  # no clock runs at 20:00 and no ticket came
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


def test_shrinkage_takes_people_away_from_the_queue() -> None:
    rate = 100 / 1800
    [plain] = _one({9: rate}, {9: 14})
    [shrunk] = _one({9: rate}, {9: 14}, shrinkage=0.3)
    # 30 % shrinkage: 14 people on shift are 9.8 at work, fewer than the 10 erlangs
    assert shrunk.levels[KEY] == 0.0 and plain.missing == 0
    # the people it needs, at work 70 % of the time, carry the 14 agents Erlang C asks for
    assert shrunk.needed[KEY] == math.ceil(14 / 0.7) and shrunk.missing == 20 - 14


def test_one_person_away_a_fifth_of_the_time_answers_four_in_five_at_best() -> None:
    [hour] = _one({3: 0.00001}, {3: 1}, shrinkage=0.2, target=900, goal=0.95, handle=600)
    one = service_level(1, Queue(0.00001, 600), 900)
    assert hour.levels[KEY] == pytest.approx(0.8 * one) and hour.missing == 1


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
    found = _one(rate, people, target=3 * 3600, goal=0.5, handle=1800, open_hours=open_hours)
    five = next(h for h in found if h.hour == 17)
    # its span is 17:00 and the next morning's 08:00-10:00, not the empty night
    assert five.levels[KEY] > 0.5


def test_every_hour_the_clock_runs_is_staffed_tickets_seen_or_not() -> None:
    office = [8 <= h % 24 < 18 and h < 120 for h in range(168)]
    found = _one({9: 0.001}, dict.fromkeys(range(9, 18), 1), handle=600, target=900,
                 goal=0.9, open_hours=office)  # fmt: skip
    assert [h.hour for h in found] == [h for h in range(168) if office[h]]
    by_hour = {h.hour: h for h in found}
    # Monday 08:00 is open and nobody is on shift: a promise broken before any ticket came
    assert by_hour[8].levels[KEY] == 0.0 and by_hour[8].missing == 1
    assert by_hour[10].rate == 0.0 and by_hour[10].levels[KEY] == 1.0
    assert by_hour[10].occupancy == 0.0 and by_hour[10].missing == 0


def test_over_a_longer_target_an_absence_only_delays() -> None:
    # the same lone engineer, away a fifth of the time: a 2-hour target waits for them
    [hour] = _one({3: 0.00001}, {3: 1, 4: 1}, shrinkage=0.2, target=7200, goal=0.95, handle=600)
    slower = service_level(1, Queue(0.00001, 600 / 0.8), 7200)
    assert hour.levels[KEY] == pytest.approx(slower) and hour.levels[KEY] > 0.99
    assert hour.missing == 0


def test_each_tier_is_staffed_by_its_own_pool_and_shares_the_others_work() -> None:
    from opskit.capacity.routing import Pools

    gold, tin = ("Gold", "P1"), ("Tin", "P1")
    promises = {k: Promise(k[0], k[1], 600, 0.8, 600) for k in (gold, tin)}
    rates = {gold: {9: 1.2 / 3600}, tin: {9: 0.6 / 3600}}  # 0.2 and 0.1 erlangs
    everyone = {9: 3}
    pools = Pools(people={"Gold": {9: 3}, "Tin": {9: 1}}, agents={"Gold": {9: 3.0}, "Tin": {9: 1.0}},
                  share={("Gold", "Gold"): [1.0] * 168, ("Tin", "Tin"): [1.0] * 168,
                         ("Tin", "Gold"): [1.0] * 168, ("Gold", "Tin"): [1 / 3] * 168})  # fmt: skip
    [hour] = assess(rates, promises, everyone, {9: 3.0}, {"Gold": CLOSED, "Tin": CLOSED},
                    shrinkage=0.0, pools=pools)  # fmt: skip
    # Gold: everyone's work on three people; Tin: its own and a third of Gold's on one
    assert hour.levels[gold] == pytest.approx(service_level(3, Queue(1.8 / 3600, 600), 600))
    tin_load = (0.6 + 1.2 / 3) / 3600
    assert hour.levels[tin] == pytest.approx(service_level(1, Queue(tin_load, 600), 600))
    assert hour.levels[tin] < hour.levels[gold] and hour.have[tin] == 1
    [pooled] = assess(rates, promises, everyone, {9: 3.0}, {"Gold": CLOSED, "Tin": CLOSED},
                      shrinkage=0.0)  # fmt: skip
    assert pooled.levels[tin] == pytest.approx(hour.levels[gold])  # one queue: the same level


def test_overflow_is_erlang_b_and_a_share_of_an_agent_lies_between_whole_ones() -> None:
    from opskit.capacity.erlang import erlang_b
    from opskit.capacity.routing import overflow

    assert overflow(2, 1.5) == pytest.approx(erlang_b(2, 1.5))
    assert erlang_b(2, 1.5) < overflow(1.5, 1.5) < erlang_b(1, 1.5)
    assert overflow(0, 1.0) == 1.0 and overflow(0, 0.0) == 1.0 and overflow(1, 0.0) == 0.0
    from opskit.capacity.routing import excess

    assert excess(1.0, 0.5) == 0.0 and excess(1.0, 4.0) == 0.75 and excess(0, 0.0) == 1.0
    assert excess(2, 1.5) < overflow(2, 1.5)  # waiting for them sends less on


def test_a_narrower_pools_work_reaches_a_wider_one_only_as_fast_as_its_people_do_it() -> None:
    """Tin's weekend backlog lands at 08:00 on Tin's one desk person; Gold (that person and
    two engineers) sees the desk busy for hours, not the whole backlog at once."""
    from opskit.capacity.routing import Pools

    gold, tin = ("Gold", "P3"), ("Tin", "P3")
    promises = {
        gold: Promise("Gold", "P3", 3600, 0.9, 1800),
        tin: Promise("Tin", "P3", 3600, 0.9, 1800),
    }
    rates = {tin: {8: 6 / 3600}, gold: {8: 1 / 3600}}  # 3 erlang-hours of Tin at once
    pools = Pools(people={"Gold": dict.fromkeys(range(168), 3), "Tin": dict.fromkeys(range(168), 1)},
                  agents={"Gold": dict.fromkeys(range(168), 3.0), "Tin": dict.fromkeys(range(168), 1.0)},
                  share={("Gold", "Gold"): [1.0] * 168, ("Tin", "Tin"): [1.0] * 168,
                         ("Tin", "Gold"): [1.0] * 168, ("Gold", "Tin"): [0.0] * 168},
                  narrower=frozenset({("Tin", "Gold")}))  # fmt: skip
    people = dict.fromkeys(range(168), 3)
    hours = {h.hour: h for h in assess(rates, promises, people, dict.fromkeys(range(168), 3.0),
                                       {"Gold": CLOSED, "Tin": CLOSED}, shrinkage=0.0, pools=pools)}  # fmt: skip
    # at 08:00 Gold queues behind the one erlang the desk person can give Tin, not three
    assert hours[8].levels[gold] == pytest.approx(
        service_level(3, Queue(1 / 3600 + 1 / 1800, 1800), 3600), rel=1e-6
    )
    assert hours[8].levels[tin] < 0.9  # Tin's own person cannot clear three hours' work in one


def test_a_longer_target_is_kept_while_the_backlog_clears_in_time_and_names_who_is_missing() -> None:
    """Office hours 08-18 on weekdays: the weekend's tickets (6 erlang-hours) land at
    Monday 08:00 on one person; a 4-hour target cannot take that, two people can."""
    open_ = [h < 120 and 8 <= h % 24 < 18 for h in range(168)]
    people = {h: 1 for h in range(168) if open_[h]}
    rate = {8: 6 / 1800} | {h: 0.2 / 1800 for h in range(168) if open_[h] and h != 8}
    hours = {h.hour: h for h in _one(rate, people, target=4 * 3600, goal=0.9, handle=1800,
                                     open_hours=open_)}  # type: ignore[arg-type]  # fmt: skip
    monday = hours[8]
    assert monday.levels[KEY] < 0.9 and (monday.have[KEY], monday.needed[KEY]) == (1, 2)
    assert monday.missing == 1
    assert hours[24 + 10].levels[KEY] == 1.0 and hours[24 + 10].missing == 0  # Tuesday


