"""Calendars for the business-time tests: a plain object that is a `Calendar`, and
hypothesis strategies for random ones, starts and durations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hypothesis import strategies as st

from tests.time.stepper import Stepper

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]
COUNTRIES: list[tuple[str, str | None] | None] = [None, ("DE", "BE"), ("US", None), ("AU", "NSW")]
FIRST, LAST = dt.date(2025, 7, 1), dt.date(2027, 7, 1)  # where random starts fall


@dataclass(eq=False)
class TestCalendar:
    name: str
    timezone: str
    working_hours: dict[int, list[tuple[int, int]]]
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    extra_holidays: dict[dt.date, str] = field(default_factory=dict)
    worked_holidays: frozenset[dt.date] = frozenset()
    always_open: bool = False

    __test__ = False  # not a pytest class


def weekly_seconds(calendar: TestCalendar) -> int:
    return sum(60 * (b - a) for windows in calendar.working_hours.values() for a, b in windows)


def _windows(boundaries: list[int]) -> list[tuple[int, int]]:
    """Sorted distinct half hours, paired: [0, 16, 20, 36] -> 00:00-08:00, 10:00-18:00."""
    edges = sorted(boundaries)
    return [(30 * a, 30 * b) for a, b in zip(edges[::2], edges[1::2], strict=False)]


# a day: empty, one window, or split; the edges include midnight, 24:00 and the hours
# the clocks change at (02:00-03:00 in Berlin, New York and Sydney)
day_windows = st.one_of(
    st.lists(st.integers(0, 48), min_size=0, max_size=6, unique=True).map(_windows),
    st.sampled_from([[(480, 1080)], [(540, 1020)], [(480, 720), (780, 1080)], [(0, 1440)]]),
)
dates = st.dates(FIRST - dt.timedelta(days=30), LAST + dt.timedelta(days=400))
# days the public calendars close, so worked and extra holidays fall on them too
famous = st.sampled_from([dt.date(y, m, d) for y in range(2025, 2029)
                          for m, d in [(1, 1), (7, 4), (10, 3), (12, 24), (12, 25), (12, 26)]])  # fmt: skip


@st.composite
def calendars(draw: st.DrawFn) -> TestCalendar:
    week = {day: draw(day_windows) for day in range(7)}
    if not any(week.values()):
        week[draw(st.integers(0, 6))] = [(540, 1020)]
    country = draw(st.sampled_from(COUNTRIES))
    extra = draw(st.lists(st.one_of(dates, famous), max_size=8))
    worked = draw(st.lists(st.one_of(dates, famous, st.sampled_from(extra or [FIRST])), max_size=5))
    return TestCalendar(
        name="random",
        timezone=draw(st.sampled_from(ZONES)),
        working_hours={d: w for d, w in week.items() if w},
        holiday_country=country[0] if country else None,
        holiday_subdivision=country[1] if country else None,
        extra_holidays=dict.fromkeys(extra, "extra"),
        worked_holidays=frozenset(worked),
    )


@st.composite
def starts(draw: st.DrawFn, calendar: TestCalendar) -> int:
    """Any second of the two years, or one inside an open span, or in the day's last two
    open hours, or exactly at an opening or a close, or one second either side of one."""
    stepper = Stepper(calendar)
    day = draw(st.dates(FIRST, LAST))
    spans = stepper.spans(day)
    how = draw(st.sampled_from(["any", "open", "late", "edge"]))
    if spans and how == "edge":
        edge = draw(st.sampled_from([t for span in spans for t in span]))
        return edge + draw(st.sampled_from([-1, 0, 1]))
    if spans and how == "open":
        a, b = draw(st.sampled_from(spans))
        return draw(st.integers(a, b - 1))
    if spans and how == "late":  # deep into the day: shorter days clamp it
        a, b = spans[-1]
        return draw(st.integers(max(a, b - 7200), b - 1))
    return stepper.instant(day, 0) + draw(st.integers(0, 86_399))


@st.composite
def durations(draw: st.DrawFn, calendar: TestCalendar) -> tuple[int, int]:
    """(business days, seconds): up to a few hundred days and months of working time,
    kept under three years of the calendar's working time (it looks ten years ahead)."""
    working_days = sum(1 for windows in calendar.working_hours.values() if windows)
    most_days = min(400, 150 * working_days)
    most_seconds = min(90 * 86_400, 150 * weekly_seconds(calendar))
    days = draw(st.one_of(st.just(0), st.integers(1, 5), st.integers(1, most_days)))
    seconds = draw(st.one_of(st.just(0), st.integers(1, 8 * 3600), st.integers(0, most_seconds)))
    return days, seconds
