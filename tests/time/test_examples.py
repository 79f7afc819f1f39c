"""Business time worked out by hand: each expected instant has its arithmetic beside it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from opskit.policy.model import TWENTY_FOUR_SEVEN
from opskit.policy.values import parse_duration
from opskit.time import business
from opskit.time.business import OUTSIDE_HOURS
from opskit.time.business_time import business_time
from opskit.time.duration import Duration
from tests.time.calendars import TestCalendar

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
MON_TO_FRI = range(5)
# the known bug's calendar: a one-hour Monday, then two eight-hour days
SHORT_MONDAY = TestCalendar(
    "short-monday", "UTC", {0: [(540, 600)], 1: [(540, 1020)], 2: [(540, 1020)]}
)
# open Monday to Saturday, closed on Berlin's public holidays
SHOP = TestCalendar("shop", "Europe/Berlin", {d: [(540, 1020)] for d in range(6)}, "DE", "BE")
# office hours and a night shift on Sundays, closed on US federal holidays
NIGHT_DESK = TestCalendar("night-desk", "America/New_York",
                          {**{d: [(540, 1020)] for d in MON_TO_FRI}, 6: [(0, 360)]}, "US")  # fmt: skip


def at(text: str, zone: dt.tzinfo = dt.UTC) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def due(calendar: TestCalendar, start: dt.datetime, duration: str) -> dt.datetime:
    return business.due(calendar, start, parse_duration(duration))


def test_business_days_from_an_opening_end_at_a_close() -> None:
    monday = at("2026-11-23T09:00")
    assert due(SHORT_MONDAY, monday, "1bd") == at("2026-11-23T10:00")  # Mon is day 1: its close
    assert due(SHORT_MONDAY, monday, "2bd") == at("2026-11-24T17:00")  # day 2 is Tue: its close
    assert due(SHORT_MONDAY, monday, "3bd") == at("2026-11-25T17:00")  # day 3 is Wed


def test_a_second_after_the_opening_moves_a_second_not_a_day() -> None:
    # the regression: position 1 s, two working days on (Tue, Wed) at position 1 s
    assert due(SHORT_MONDAY, at("2026-11-23T09:00:01"), "2bd") == at("2026-11-25T09:00:01")
    # Tue 17:00 (from 09:00) to Wed 09:00:01 is closed time and one working second


def test_business_days_keep_the_position_and_clamp_on_shorter_days() -> None:
    # position 30m
    assert due(SHORT_MONDAY, at("2026-11-23T09:30"), "1bd") == at("2026-11-24T09:30")
    assert due(SHORT_MONDAY, at("2026-11-24T12:00"), "1bd") == at("2026-11-25T12:00")  # position 3h
    # position 3h, two working days on is next Monday: only 1h long, so its close
    assert due(SHORT_MONDAY, at("2026-11-24T12:00"), "2bd") == at("2026-11-30T10:00")
    # a second before Monday's close is position 59m59s; at the close, closed: Tue's opening
    assert due(SHORT_MONDAY, at("2026-11-23T09:59:59"), "1bd") == at("2026-11-24T09:59:59")
    assert due(SHORT_MONDAY, at("2026-11-23T10:00"), "1bd") == at("2026-11-24T17:00")


def test_closed_time_counts_from_the_next_opening() -> None:
    # Sun: all of Mon
    assert due(SHORT_MONDAY, at("2026-11-22T15:00"), "1bd") == at("2026-11-23T10:00")
    # 1h Mon + 3h Tue
    assert due(SHORT_MONDAY, at("2026-11-23T08:59:59"), "4h") == at("2026-11-24T12:00")


def test_mixed_durations_take_the_business_days_first() -> None:
    # 1bd from Mon 09:00 is Mon 10:00 (the close); then 4h: all of it on Tuesday
    assert due(SHORT_MONDAY, at("2026-11-23T09:00"), "1bd4h") == at("2026-11-24T13:00")


def test_a_public_holiday_on_a_working_saturday() -> None:
    # Fri 2 Oct 15:00-17:00 is 2h; Sat 3 Oct is German Unity Day, Sunday closed; Mon 09:00 + 2h
    assert due(SHOP, at("2026-10-02T15:00", BERLIN), "4h") == at("2026-10-05T11:00", BERLIN)
    # position 3h on Friday; the next working day is Monday: 09:00 + 3h
    assert due(SHOP, at("2026-10-02T12:00", BERLIN), "1bd") == at("2026-10-05T12:00", BERLIN)
    # Wed 23 Dec 16:00: 1h; Thu 24th 8h; Fri 25th, Sat 26th Christmas; Mon 28th 09:00 + 1h
    assert due(SHOP, at("2026-12-23T16:00", BERLIN), "10h") == at("2026-12-28T10:00", BERLIN)
    # position 7h on Wed; Thu 24th is working day 1, Mon 28th day 2 (25th, 26th holidays)
    assert due(SHOP, at("2026-12-23T16:00", BERLIN), "2bd") == at("2026-12-28T16:00", BERLIN)


def test_an_observed_us_holiday() -> None:
    # Thu 2 Jul 16:00-17:00 is 1h; Fri 3 Jul is Independence Day (observed); Sun 5th 00:00 + 1h
    assert due(NIGHT_DESK, at("2026-07-02T16:00", NEW_YORK), "2h") == at(
        "2026-07-05T01:00", NEW_YORK
    )


def test_windows_are_wall_clock_across_berlin_dst() -> None:
    office = TestCalendar("office", "Europe/Berlin",
                          {**{d: [(480, 1080)] for d in MON_TO_FRI}, 6: [(0, 360)]})  # fmt: skip
    # Fri 27 Mar 17:00-18:00 is 1h; Sun 29 Mar opens 00:00 CET, +2h real is 03:00 CEST
    assert due(office, at("2026-03-27T17:00", BERLIN), "3h") == at("2026-03-29T03:00", BERLIN)
    # position 4h; Sunday 29 Mar is 5 real hours (00:00 CET-06:00 CEST): 00:00 + 4h = 05:00 CEST
    assert due(office, at("2026-03-27T12:00", BERLIN), "1bd") == at("2026-03-29T05:00", BERLIN)
    # position 9h is more than Sunday's 5h: clamped to its close
    assert due(office, at("2026-03-27T17:00", BERLIN), "1bd") == at("2026-03-29T06:00", BERLIN)
    # Fri 23 Oct: 1h; Sun 25 Oct 00:00 CEST-06:00 CET is 7 real hours: 8h end at its close
    assert due(office, at("2026-10-23T17:00", BERLIN), "8h") == at("2026-10-25T06:00", BERLIN)
    sunday = (at("2026-10-25T00:00", BERLIN), at("2026-10-25T12:00", BERLIN))
    assert business.working_seconds(office, *sunday) == 7 * 3600


def test_windows_are_wall_clock_across_new_york_dst() -> None:
    # Sat 7 Mar; Sun 8 Mar 00:00 EST-06:00 EDT is 5 real hours: 5h end at its close
    assert due(NIGHT_DESK, at("2026-03-07T12:00", NEW_YORK), "5h") == at(
        "2026-03-08T06:00", NEW_YORK
    )
    # position 6h on Fri 6 Mar; Sunday's 5h clamp it to the close
    assert due(NIGHT_DESK, at("2026-03-06T15:00", NEW_YORK), "1bd") == at(
        "2026-03-08T06:00", NEW_YORK
    )
    # Fri 30 Oct: 1h; Sun 1 Nov 00:00 EDT + 5 real hours is 04:00 EST (01:00-02:00 twice)
    assert due(NIGHT_DESK, at("2026-10-30T16:00", NEW_YORK), "6h") == at(
        "2026-11-01T04:00", NEW_YORK
    )


def test_a_worked_holiday_wins_over_an_extra_one() -> None:
    both = TestCalendar("both", "Europe/Berlin", {d: [(540, 1020)] for d in MON_TO_FRI}, "DE", "BE",
                        extra_holidays={dt.date(2026, 12, 24): "Heiligabend"},
                        worked_holidays=frozenset({dt.date(2026, 12, 24), dt.date(2026, 12, 25)}))  # fmt: skip
    assert business.is_open(both, at("2026-12-24T10:00", BERLIN))
    assert business.is_open(both, at("2026-12-25T10:00", BERLIN))  # Christmas Day, worked
    # Wed 23rd 16:00: 1h; Thu 24th 8h; Fri 25th 09:00 + 1h
    assert due(both, at("2026-12-23T16:00", BERLIN), "10h") == at("2026-12-25T10:00", BERLIN)


def test_the_24x7_calendar_counts_every_second() -> None:
    start = at("2026-03-28T11:00")  # 12:00 in Berlin, the day before the clocks go forward
    assert due(TWENTY_FOUR_SEVEN, start, "1bd4h") == start + dt.timedelta(hours=28)  # 24h + 4h
    assert (
        business.working_seconds(TWENTY_FOUR_SEVEN, start, start + dt.timedelta(days=3))
        == 3 * 86_400
    )
    assert (
        business.business_days_elapsed(TWENTY_FOUR_SEVEN, start, start + dt.timedelta(hours=47))
        == 1
    )
    assert business.closed_periods(TWENTY_FOUR_SEVEN, start, start + dt.timedelta(days=9)) == []


def test_business_days_elapsed() -> None:
    monday = at("2026-11-23T09:00")
    elapsed = lambda end: business.business_days_elapsed(SHORT_MONDAY, monday, at(end))  # noqa: E731
    assert elapsed("2026-11-23T09:59:59") == 0  # Monday's close not reached
    assert elapsed("2026-11-23T10:00") == 1  # due(Mon 09:00, 1bd) is Mon 10:00
    assert elapsed("2026-11-24T16:59:59") == 1
    assert elapsed("2026-11-24T17:00") == 2  # due(Mon 09:00, 2bd) is Tue 17:00
    assert (
        business.business_days_elapsed(SHORT_MONDAY, at("2026-11-24T12:00"), at("2026-11-30T10:00"))
        == 2
    )


def test_closed_periods_name_their_reason() -> None:
    office = TestCalendar("office", "Europe/Berlin",
                          {**{d: [(480, 1080)] for d in MON_TO_FRI}, 6: [(0, 360)]}, "DE", "BE",
                          extra_holidays={dt.date(2026, 12, 24): "Heiligabend"})  # fmt: skip
    found = business.closed_periods(
        office, at("2026-12-23T17:00", BERLIN), at("2026-12-28T09:00", BERLIN)
    )
    midnight = lambda day: at(f"2026-12-{day}T00:00", BERLIN)  # noqa: E731
    assert found == [
        (at("2026-12-23T18:00", BERLIN), midnight(24), OUTSIDE_HOURS),
        (midnight(24), midnight(25), "Heiligabend"),
        (midnight(25), midnight(26), "Christmas Day"),
        # Sat 26th is a holiday too, but the office is closed on Saturdays anyway
        (midnight(26), midnight(27), OUTSIDE_HOURS),
        (at("2026-12-27T06:00", BERLIN), at("2026-12-28T08:00", BERLIN), OUTSIDE_HOURS),
    ]


def test_a_calendar_never_open_is_an_error() -> None:
    with pytest.raises(ValueError, match="no working hours in ten years"):
        due(TestCalendar("never", "UTC", {}), at("2026-11-23T09:00"), "1h")
    sparse = TestCalendar("sparse", "UTC", {0: [(540, 541)]})  # a minute a week
    with pytest.raises(ValueError, match="not that much working time"):
        due(sparse, at("2026-11-23T09:00"), "20d")  # 28,800 weeks of Mondays


def test_instants_outside_1970_to_2200_are_errors() -> None:
    for start in (at("1969-12-31T23:59:59"), at("2201-01-01T00:00")):
        with pytest.raises(ValueError, match="outside 1970-2200"):
            due(SHOP, start, "1h")
    # a start late in 2200 may fall due after it
    assert due(SHOP, at("2200-12-31T12:00"), "10bd") > at("2201-01-01T00:00")


def test_many_at_once() -> None:
    starts = np.array(
        [at(s).timestamp() for s in ("2026-11-23T09:00", "2026-11-23T09:00:01")], np.int64
    )
    fast = business_time(SHORT_MONDAY)
    expected = [at("2026-11-24T17:00").timestamp(), at("2026-11-25T09:00:01").timestamp()]
    assert fast.due_many(starts, parse_duration("2bd")).tolist() == expected
    # Mon 09:00 to Tue 12:00 is 1h + 3h; 09:00:01 to 09:00 is backwards: nothing
    ends = starts[::-1] + np.array([27 * 3600 - 1, 0])
    assert fast.elapsed_many(starts, ends).tolist() == [4 * 3600, 0]
    assert fast.due_many(np.array([], np.int64), parse_duration("1h")).tolist() == []
    assert business_time(SHORT_MONDAY) is fast


def test_a_window_inside_the_skipped_hour_makes_no_working_day() -> None:
    # Sundays 02:00-03:00 Berlin, plus Mondays: on 29 Mar 2026 02:00-03:00 does not exist
    night = TestCalendar("night", "Europe/Berlin", {6: [(120, 180)], 0: [(540, 1020)]})
    saturday = at("2026-03-28T12:00", BERLIN)
    # so 1bd from Saturday is all of Monday 30 Mar, not Sunday's missing hour
    assert due(night, saturday, "1bd") == at("2026-03-30T17:00", BERLIN)
    # a week later the hour exists: Sun 5 Apr 02:00-03:00 CEST is the working day
    assert due(night, saturday + dt.timedelta(days=7), "1bd") == at("2026-04-05T03:00", BERLIN)


def test_zero_and_too_long_durations() -> None:
    start = at("2026-11-22T15:00")  # closed: a zero duration is still due at once
    assert business.due(SHORT_MONDAY, start, parse_duration("0m")) == start
    with pytest.raises(ValueError, match="two years"):
        business_time(SHORT_MONDAY).due(int(start.timestamp()), Duration(0, 800 * 86_400))
