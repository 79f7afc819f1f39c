"""On-call load: shifts, night pages on the person's own clock, hours interrupted (15-minute
minimum, overlaps once), the project share and the limits broken, by hand and by property."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.capacity import load_checks
from opskit.capacity.load import Limits, PersonLoad, load
from opskit.capacity.pages import Page

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")
ANNA, MEI, JAMAL = "anna@northwind.example", "mei@northwind.example", "jamal@northwind.example"
ZONES = {ANNA: "Europe/Berlin", MEI: "Asia/Singapore", JAMAL: "America/New_York"}
NONE = Limits()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
       tz: dt.tzinfo = UTC) -> dt.datetime:  # fmt: skip
    return dt.datetime(year, month, day, hour, minute, tzinfo=tz)


def secs(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def page(start: dt.datetime, minutes: float | None = 10, person: str = ANNA, n: int = 0) -> Page:
    end = None if minutes is None else start + dt.timedelta(minutes=minutes)
    return Page(f"Q{n}{secs(start)}", "storage-api", "high", start, end, person)


def one(found: list[PersonLoad], person: str = ANNA) -> PersonLoad:
    [mine] = [f for f in found if f.person == person]
    return mine


# Mon 5 Oct 2026, 09:00 Berlin (CEST): a day-long turn, then the next, back to back
MONDAY = at(2026, 10, 5, 9, tz=BERLIN)
WEEK = (at(2026, 10, 5, tz=BERLIN), at(2026, 10, 12, tz=BERLIN))
DAY = dt.timedelta(days=1)
TWO_TURNS = {
    ANNA: [(secs(MONDAY), secs(MONDAY + DAY)), (secs(MONDAY + DAY), secs(MONDAY + 2 * DAY))]
}


def test_back_to_back_turns_are_one_shift_and_its_pages_break_the_limit() -> None:
    pages = [page(MONDAY + dt.timedelta(hours=h), n=h) for h in (1, 5, 20, 26, 30)]
    pages.append(page(MONDAY + 3 * DAY))  # after the shift: off shift, still Anna's
    found = one(load(pages, TWO_TURNS, ZONES, *WEEK, Limits(pages_per_shift=3)))
    assert (found.shifts, found.oncall_hours, found.pages, found.off_shift) == (1, 48.0, 6, 1)
    assert (found.most_in_shift, found.per_shift) == (5, 5.0)
    assert [(b.limit, b.reason) for b in found.broken] == [(
        "pages_per_shift",
        "5 pages in the shift starting 2026-10-05 09:00 Europe/Berlin, limit 3",
    )]  # fmt: skip
    assert one(load(pages, TWO_TURNS, ZONES, *WEEK, Limits(pages_per_shift=5))).broken == ()


def test_several_shifts_over_the_limit_name_the_worst() -> None:
    turns = {ANNA: [(secs(MONDAY + d * DAY), secs(MONDAY + d * DAY + dt.timedelta(hours=8)))
                    for d in range(3)]}  # fmt: skip
    pages = [page(MONDAY + d * DAY + dt.timedelta(hours=h), n=h)
             for d, hours in ((0, 2), (1, 4), (2, 1)) for h in range(hours)]  # fmt: skip
    found = one(load(pages, turns, ZONES, *WEEK, Limits(pages_per_shift=1)))
    assert (found.shifts, found.most_in_shift, found.per_shift) == (3, 4, 7 / 3)
    [broken] = found.broken
    assert broken.reason == (
        "4 pages in the shift starting 2026-10-06 09:00 Europe/Berlin, limit 1 "
        "(1 more shifts over it)"
    )


def test_night_pages_count_on_the_persons_clock_across_the_clock_change() -> None:
    # Sat 28 -> Sun 29 March 2026: Berlin springs forward at 01:00 UTC; a 23-hour turn
    turn = (secs(at(2026, 3, 28, 9, tz=BERLIN)), secs(at(2026, 3, 29, 9, tz=BERLIN)))
    assert turn[1] - turn[0] == 23 * 3600
    pages = [
        page(at(2026, 3, 28, 5, 30), n=1),  # 06:30 CET: night (and before the turn)
        page(at(2026, 3, 28, 21, 30), n=2),  # 22:30 CET: night
        page(at(2026, 3, 29, 0, 30), n=3),  # 01:30 CET: night
        page(at(2026, 3, 29, 5, 30), n=4),  # 07:30 CEST: morning (06:30 a day earlier)
    ]
    since, until = at(2026, 3, 23, tz=BERLIN), at(2026, 3, 30, tz=BERLIN)
    found = one(load(pages, {ANNA: [turn]}, ZONES, since, until, NONE))
    assert (found.oncall_hours, found.night_pages) == (23.0, 3)
    assert found.night_per_week == pytest.approx(3 * 168 / 167)  # weeks of 168 hours: 167 here
    assert (found.pages, found.off_shift) == (4, 1)
    limited = one(load(pages, {ANNA: [turn]}, ZONES, since, until, Limits(night_pages_per_week=2)))
    assert [b.reason for b in limited.broken] == [
        "3 night pages in the week starting 2026-03-23 00:00 Europe/Berlin, limit 2"
    ]


def test_the_same_instant_is_night_in_new_york_and_day_in_singapore() -> None:
    instant = at(2026, 10, 6, 6)  # 02:00 in New York (EDT), 14:00 in Singapore
    pages = [page(instant, person=JAMAL, n=1), page(instant, person=MEI, n=2)]
    found = load(pages, {}, ZONES, *WEEK, NONE)
    assert [(f.person, f.night_pages) for f in found] == [(JAMAL, 1), (MEI, 0)]
    other_night = load(pages, {}, ZONES, *WEEK, NONE, night=(13, 15))  # a night not past midnight
    assert [f.night_pages for f in other_night] == [0, 1]


def test_an_interruption_costs_at_least_15_minutes_and_overlaps_count_once() -> None:
    t = at(2026, 10, 6, 10)
    pages = [
        page(t, 60, n=1), page(t + dt.timedelta(minutes=30), 60, n=2),  # 10:00-11:30: 1.5 h
        page(t + dt.timedelta(hours=2), 2, n=3),  # 12:00, 2 minutes: 12:00-12:15
        page(t + dt.timedelta(hours=2, minutes=10), 1, n=4),  # 12:10: to 12:25
        page(t + dt.timedelta(hours=4), 0, n=5),  # closed at once: 14:00-14:15
    ]  # fmt: skip
    found = one(load(pages, {}, ZONES, *WEEK, NONE))
    assert found.interrupted_hours == pytest.approx(1.5 + 25 / 60 + 0.25)
    assert found.project_share == pytest.approx(1 - found.interrupted_hours / 40)


def test_interruptions_are_clipped_to_the_window_and_open_pages_run_to_its_end() -> None:
    until = WEEK[1]
    late = page(until - dt.timedelta(minutes=30), 120, n=1)  # half an hour inside
    before = page(WEEK[0] - dt.timedelta(minutes=5), 60, n=2)  # started before: not counted
    found = one(load([late, before], {}, ZONES, WEEK[0], until, NONE))
    assert (found.pages, found.interrupted_hours) == (1, 0.5)
    still_open = page(until - dt.timedelta(hours=3), None, n=3)
    assert one(load([still_open], {}, ZONES, *WEEK, NONE)).interrupted_hours == 3.0


def test_pages_off_shift_count_and_pages_nobody_took_are_nobodys() -> None:
    pages = [page(MONDAY, 60, n=1), page(MONDAY + DAY, 60, n=2), page(MONDAY, 60, "", n=3)]
    [found] = load(pages, {MEI: []}, ZONES, *WEEK, NONE)[:1]
    assert found.person == ANNA
    assert (found.pages, found.off_shift, found.shifts, found.per_shift) == (2, 2, 0, 0.0)
    assert (found.interrupted_hours, found.interrupted_share) == (2.0, 0.0)
    assert [f.person for f in load(pages, {MEI: []}, ZONES, *WEEK, NONE)] == [ANNA, MEI]


def test_interrupted_share_of_on_call_time_and_its_limit() -> None:
    turn = (secs(MONDAY), secs(MONDAY + dt.timedelta(hours=10)))
    pages = [page(MONDAY + dt.timedelta(hours=1), 90, n=1), page(MONDAY + 2 * DAY, 120, n=2)]
    found = one(load(pages, {ANNA: [turn]}, ZONES, *WEEK, Limits(interrupted_percent=0.1)))
    assert found.interrupted_share == pytest.approx(0.15)  # 1.5 h of 10; the 2 h off shift not
    assert found.interrupted_hours == 3.5
    assert [b.reason for b in found.broken] == [
        "interrupted 15.0% of 10.0 on-call hours, limit 10.0%"
    ]
    assert (
        one(load(pages, {ANNA: [turn]}, ZONES, *WEEK, Limits(interrupted_percent=0.15))).broken
        == ()
    )


def test_the_project_share_never_goes_below_zero() -> None:
    since = at(2026, 10, 6, 9)
    pages = [page(since + dt.timedelta(hours=h), 60, n=h) for h in range(30)]
    found = one(load(pages, {}, ZONES, since, since + DAY, NONE))  # 30 h in a 1/7 week
    assert found.interrupted_hours == 24.0 and found.project_share == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: load([], {}, ZONES, dt.datetime(2026, 10, 5), WEEK[1], NONE), "aware"),
        (lambda: load([], {}, ZONES, WEEK[1], WEEK[0], NONE), "before until"),
        (lambda: load([Page("Q", "s", "high", dt.datetime(2026, 10, 6), None, ANNA)], {}, ZONES,
                      *WEEK, NONE), "must be aware"),
        (lambda: load([page(MONDAY, -5)], {}, ZONES, *WEEK, NONE), "ends before it starts"),
        (lambda: load([page(MONDAY, person="x@y.example")], {}, ZONES, *WEEK, NONE),
         "no time zone for 'x@y.example'"),
        (lambda: load([page(MONDAY)], {}, {ANNA: "Mars/Base"}, *WEEK, NONE), "IANA"),
        (lambda: load([], {ANNA: [(5, 5)]}, ZONES, *WEEK, NONE), "end after it starts"),
        (lambda: load([], {ANNA: [(1.5, 9)]}, ZONES, *WEEK, NONE), "epoch seconds"),  # type: ignore[list-item]
        (lambda: load([], {}, ZONES, *WEEK, NONE, night=(7, 7)), "different hours"),
        (lambda: load([], {}, ZONES, *WEEK, NONE, night=(22, 24)), "two hours 0..23"),
        (lambda: Limits(pages_per_shift=-1), "pages_per_shift"),
        (lambda: Limits(night_pages_per_week=True), "night_pages_per_week"),
        (lambda: Limits(interrupted_percent=15), "from 0 to 1"),
    ],
)  # fmt: skip
def test_bad_input_is_a_value_error_that_says_what(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_too_many_pages_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_checks, "MAX_PAGES", 3)
    with pytest.raises(ValueError, match="more than 3 pages"):
        load((page(MONDAY, n=n) for n in range(4)), {}, ZONES, *WEEK, NONE)
    assert one(load([page(MONDAY, n=n) for n in range(3)], {}, ZONES, *WEEK, NONE)).pages == 3


LO = secs(WEEK[0])
minutes = st.integers(min_value=-2 * 24 * 60, max_value=9 * 24 * 60)  # around the week


@settings(max_examples=200, deadline=None)
@given(
    starts=st.lists(st.tuples(minutes, st.one_of(st.none(), st.integers(0, 600)),
                              st.sampled_from([ANNA, MEI, ""])), max_size=40),
    turns=st.lists(st.tuples(minutes, st.integers(1, 3 * 24 * 60)), max_size=8),
)  # fmt: skip
def test_interruptions_never_exceed_the_window_and_shares_stay_in_range(
    starts: list[tuple[int, int | None, str]], turns: list[tuple[int, int]]
) -> None:
    pages = [page(WEEK[0] + dt.timedelta(minutes=m), length, who, n)
             for n, (m, length, who) in enumerate(starts)]  # fmt: skip
    spans = {ANNA: [(LO + m * 60, LO + (m + length) * 60) for m, length in turns]}
    window_hours = (WEEK[1] - WEEK[0]).total_seconds() / 3600
    for found in load(pages, spans, ZONES, *WEEK, Limits(pages_per_shift=2)):
        assert 0 <= found.interrupted_hours <= window_hours
        assert 0 <= found.project_share <= 1 and 0 <= found.interrupted_share <= 1
        assert 0 <= found.oncall_hours <= window_hours
        assert found.most_in_shift <= found.pages - found.off_shift <= found.pages
        assert found.per_shift * found.shifts == pytest.approx(found.pages - found.off_shift)
        assert all(b.limit == "pages_per_shift" for b in found.broken)
        assert bool(found.broken) == (found.most_in_shift > 2)
