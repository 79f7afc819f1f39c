"""The fluid queue for promises of more than an hour: what is ahead of a ticket, what
overtakes it, and which hours count on its tier's clock."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.capacity.backlog import POINTS, levels

WEEK = 168
ALWAYS = [True] * WEEK
OFFICE = [h < 120 and 8 <= h % 24 < 18 for h in range(WEEK)]  # Mon-Fri 08-18
NONE = [0.0] * WEEK


def flat(value: float, hours: list[bool] = ALWAYS) -> list[float]:
    return [value if on else 0.0 for on in hours]


def test_a_desk_with_room_answers_every_hour_at_once() -> None:
    assert levels(flat(2.0), NONE, flat(0.5), ALWAYS, 1.5) == [1.0] * WEEK


def test_more_work_than_the_week_has_people_for_is_never_kept() -> None:
    assert levels(flat(1.0), flat(0.6), flat(0.5), ALWAYS, 48) == [0.0] * WEEK


def test_a_burst_waits_its_turn_first_come_first_served() -> None:
    """8 erlang-hours at Monday 08:00 on one agent: a ticket at 08:00+f waits 7f hours,
    so with a 4-hour target those of the first 4/7 of the hour are on time; the hours
    after wait behind what is left."""
    same = [0.0] * WEEK
    same[8] = 8.0
    found = levels(flat(1.0, OFFICE), NONE, same, OFFICE, 4)
    on_time = sum(1 for p in range(POINTS) if 7 * (p + 0.5) / POINTS <= 4) / POINTS
    assert found[8] == pytest.approx(on_time) and 0 < found[8] < 1
    assert found[9] == 0.0  # 7 hours of work still ahead of a 09:00 ticket
    assert found[8 + 24] == 1.0  # gone by Tuesday


def test_later_tickets_of_the_same_priority_never_delay_an_earlier_one() -> None:
    same = flat(0.5, OFFICE)
    before = levels(flat(1.0, OFFICE), NONE, same, OFFICE, 2)
    later = list(same)
    later[11] = 20.0  # a flood at 11:00
    after = levels(flat(1.0, OFFICE), NONE, later, OFFICE, 2)
    assert after[9] == before[9] == 1.0 and after[12] < before[12]


def test_more_urgent_work_overtakes_a_waiting_ticket() -> None:
    same = [0.0] * WEEK
    same[8] = 3.0
    calm = levels(flat(1.0, OFFICE), NONE, same, OFFICE, 3)
    urgent = [0.0] * WEEK
    urgent[9] = 2.0  # P1s while the P3s wait
    rushed = levels(flat(1.0, OFFICE), urgent, same, OFFICE, 3)
    assert calm[8] == 1.0 > rushed[8]


def test_people_on_shift_while_the_clock_is_stopped_work_the_backlog() -> None:
    """A 17:00 burst on a Berlin calendar closing at 18:00: an evening desk (to 22:00)
    answers it before the clock runs again; without one, it waits for the morning."""
    same = [0.0] * WEEK
    same[17] = 3.0
    evening = [1.0 if h < 120 and 8 <= h % 24 < 22 else 0.0 for h in range(WEEK)]
    helped = levels(evening, NONE, same, OFFICE, 1)
    alone = levels(flat(1.0, OFFICE), NONE, same, OFFICE, 1)
    assert helped[17] == 1.0 > alone[17]


@settings(max_examples=60, deadline=None)
@given(
    capacity=st.lists(st.floats(0, 3), min_size=WEEK, max_size=WEEK),
    same=st.lists(st.floats(0, 1), min_size=WEEK, max_size=WEEK),
    more=st.floats(0.1, 2),
    target=st.floats(0.5, 60),
)
def test_levels_are_shares_and_more_people_never_make_them_worse(
    capacity: list[float], same: list[float], more: float, target: float
) -> None:
    found = levels(capacity, NONE, same, ALWAYS, target)
    assert all(0.0 <= level <= 1.0 for level in found)
    better = levels([c + more for c in capacity], NONE, same, ALWAYS, target)
    assert all(b >= f for b, f in zip(better, found, strict=True))
    longer = levels(capacity, NONE, same, ALWAYS, target * 2)
    assert all(g >= f for g, f in zip(longer, found, strict=True))
