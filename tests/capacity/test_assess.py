"""Hours where a promise cannot be kept, and how many people are missing there."""

from __future__ import annotations

import pytest

from opskit.capacity.assess import assess


def test_the_worked_example_hour_is_short_where_staffing_is_thin() -> None:
    rate = 100 / 1800  # the worked example: 10 erlangs at 180 s
    found = assess({9: rate, 14: rate, 20: 0.0}, {9: 14, 14: 12}, handle=180, target=20, goal=0.85)
    assert [h.hour for h in found] == [9, 14]  # an hour without tickets is no hour to staff
    nine, two = found
    assert nine.level == pytest.approx(0.888, abs=0.0005) and nine.short == 0
    assert two.level == pytest.approx(0.640, abs=0.0005)
    assert (two.needed, two.short) == (14, 2)
    assert two.occupancy == pytest.approx(10 / 12)


def test_an_hour_with_tickets_and_nobody_answers_none() -> None:
    [hour] = assess({3: 0.001}, {}, handle=600, target=900, goal=0.9)
    assert (hour.agents, hour.level, hour.short) == (0, 0.0, hour.needed)
    assert hour.needed >= 1
