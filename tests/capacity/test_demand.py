"""Demand: arrivals per hour of the week, on the desk's clock, averaged over the window."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest

from opskit.capacity.demand import Arrival, demand, hour_of_week
from opskit.time import zones

BERLIN = ZoneInfo("Europe/Berlin")


def test_hours_of_the_week_are_counted_on_the_desks_clock() -> None:
    zone = zones.get("Europe/Berlin")
    monday_nine = dt.datetime(2026, 11, 30, 9, tzinfo=BERLIN)  # winter
    summer_monday_nine = dt.datetime(2026, 6, 1, 9, tzinfo=BERLIN)
    assert hour_of_week(monday_nine, zone) == 9
    assert hour_of_week(summer_monday_nine, zone) == 9  # the same hour across the change
    assert hour_of_week(dt.datetime(2026, 12, 6, 23, 30, tzinfo=BERLIN), zone) == 167


def test_a_monday_peak_over_four_weeks() -> None:
    since = dt.datetime(2026, 11, 2, tzinfo=BERLIN)  # a Monday
    until = since + dt.timedelta(weeks=4)
    rng = random.Random(7)
    tickets = []
    for week in range(4):
        monday = since + dt.timedelta(weeks=week)
        tickets += [Arrival(monday + dt.timedelta(hours=9, minutes=rng.randrange(60)), "Premium", "P1")
                    for _ in range(12)]  # fmt: skip
        tickets.append(Arrival(monday + dt.timedelta(days=2, hours=14), "Standard", "P3"))
    tickets.append(Arrival(until + dt.timedelta(hours=9), "Premium", "P1"))  # outside: not counted
    found = demand(tickets, "Europe/Berlin", since, until)
    assert found.per_hour("Premium", "P1", 9) == 12
    assert found.rate("Premium", "P1", 9) == pytest.approx(12 / 3600)
    assert found.per_hour("Premium", "P1", 10) == 0
    assert found.per_hour("Standard", "P3", 2 * 24 + 14) == 1
    assert found.total("Premium", "P1") == 48
    assert sum(found.occurrences.values()) == 4 * 168


def test_a_window_must_end_after_it_starts() -> None:
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    with pytest.raises(ValueError):
        demand([], "UTC", now, now)
