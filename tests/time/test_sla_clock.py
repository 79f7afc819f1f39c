"""Due times over business calendars."""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.policy.model import TWENTY_FOUR_SEVEN, Calendar
from opskit.policy.values import parse_duration
from opskit.time import business as clock
from tests.oncall.helpers import policy

OFFICE = """kind: Calendar
name: office
timezone: Europe/Berlin
working_hours:
  monday: ["08:00-18:00"]
  tuesday: ["08:00-18:00"]
  wednesday: ["08:00-12:00", "13:00-18:00"]
  thursday: ["08:00-18:00"]
  friday: ["08:00-18:00"]
  sunday: ["00:00-06:00"]
holidays:
  country: DE
  subdivision: BE
  extra: [{date: "2026-12-24", name: Heiligabend}]
"""


@functools.cache
def office() -> Calendar:
    return policy(OFFICE).calendars["office"]


def berlin(text: str) -> dt.datetime:
    from opskit.time import zones

    return dt.datetime.fromisoformat(text).replace(tzinfo=zones.get("Europe/Berlin").tz)


def due(start: str, duration: str, calendar: Calendar | None = None) -> dt.datetime:
    return clock.due(calendar or office(), berlin(start), parse_duration(duration))


def test_working_hours_carry_over_the_weekend() -> None:
    assert due("2026-11-27T16:00", "4h") == berlin("2026-11-29T02:00")  # Sunday's early window
    assert due("2026-11-27T16:00", "10h") == berlin("2026-11-30T10:00")


def test_a_target_met_at_closing_time_is_due_at_the_close() -> None:
    assert due("2026-11-26T14:00", "4h") == berlin("2026-11-26T18:00")


def test_lunch_break_and_holidays_are_skipped() -> None:
    assert due("2026-11-25T11:00", "2h") == berlin("2026-11-25T14:00")
    # 23 Dec 17:00; 24th (extra) and 25th (Christmas) closed; Sunday 27th 00:00-06:00 counts
    assert due("2026-12-23T17:00", "8h") == berlin("2026-12-28T09:00")


def test_business_days_keep_the_time_of_day() -> None:
    assert due("2026-11-27T12:00", "2bd") == berlin("2026-11-30T12:00")  # Fri -> Sun (short) -> Mon
    assert due("2026-11-28T12:00", "1bd") == berlin(
        "2026-11-29T06:00"
    )  # Sat: the whole next working day
    assert due("2026-11-30T07:00", "1bd") == berlin("2026-11-30T18:00")  # before opening


def test_the_24x7_calendar_counts_everything() -> None:
    assert due("2026-03-28T23:30", "15m", TWENTY_FOUR_SEVEN) == berlin("2026-03-28T23:45")
    assert due("2026-03-28T12:00", "2bd", TWENTY_FOUR_SEVEN) == berlin(
        "2026-03-30T13:00"
    )  # 48 h, over DST


def test_a_window_across_the_dst_change_is_wall_clock() -> None:
    # Sunday 29 March 2026: 00:00-06:00 Berlin is five hours long
    assert (
        clock.working_seconds(office(), berlin("2026-03-29T00:00"), berlin("2026-03-29T07:00"))
        == 5 * 3600
    )


def test_is_open_and_next_open() -> None:
    assert clock.is_open(office(), berlin("2026-11-30T09:00"))
    assert not clock.is_open(office(), berlin("2026-12-25T09:00"))
    assert clock.next_open(office(), berlin("2026-12-24T09:00")) == berlin("2026-12-27T00:00")


@settings(max_examples=80, deadline=None)
@given(
    st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2027, 12, 1)),
    st.integers(1, 60 * 60),
)
def test_due_leaves_exactly_the_target_of_working_time(start: dt.datetime, minutes: int) -> None:
    begin = berlin(start.replace(second=0, microsecond=0).isoformat())
    end = clock.due(office(), begin, parse_duration(f"{minutes}m"))
    assert clock.working_seconds(office(), begin, end) == minutes * 60
    assert clock.is_open(office(), end - dt.timedelta(seconds=1))
