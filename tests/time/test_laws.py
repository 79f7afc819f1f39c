"""The laws of business time, for random calendars, starts and durations, checked
against the stepping implementation in tests/time/stepper.py."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.time.business_time import business_time
from opskit.time.duration import Duration
from tests.time.calendars import TestCalendar, calendars, durations, starts
from tests.time.stepper import Stepper

# about 40 s for the module on two cores; a failure's example is kept in .hypothesis/
laws = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def due(calendar: TestCalendar, t: int, days: int, seconds: int) -> int:
    return business_time(calendar).due(t, Duration(days, seconds))


@settings(laws, max_examples=600)  # the law the others lean on
@given(st.data())
def test_due_agrees_with_the_stepper(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    t = data.draw(starts(calendar))
    days, seconds = data.draw(durations(calendar))
    assert due(calendar, t, days, seconds) == Stepper(calendar).due(t, days, seconds)


@laws
@given(st.data())
def test_many_at_once_agree_with_one_at_a_time(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    ts = data.draw(st.lists(starts(calendar), min_size=1, max_size=8))
    days, seconds = data.draw(durations(calendar))
    fast = business_time(calendar)
    many = fast.due_many(ts, Duration(days, seconds)).tolist()
    assert many == [fast.due(t, Duration(days, seconds)) for t in ts]
    ends = [t + data.draw(st.integers(-86_400, 40 * 86_400)) for t in ts]
    assert fast.elapsed_many(ts, ends).tolist() == [
        fast.elapsed(a, b) for a, b in zip(ts, ends, strict=True)
    ]


@laws
@given(st.data())
def test_working_seconds_agree_with_the_stepper(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    a = data.draw(starts(calendar))
    b = data.draw(st.one_of(starts(calendar), st.integers(a, a + 120 * 86_400)))
    assert business_time(calendar).elapsed(a, b) == (
        Stepper(calendar).working_seconds(a, b) if b > a else 0
    )


@laws
@given(st.data())
def test_round_trips(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    t = data.draw(starts(calendar))
    days, seconds = data.draw(durations(calendar))
    fast = business_time(calendar)
    # elapsed time: the due date leaves exactly the target of working time, from any start
    assert fast.elapsed(t, due(calendar, t, 0, seconds)) == seconds
    # business days: the due date is where exactly that many have elapsed...
    assert fast.business_days(t, due(calendar, t, days, 0)) == days
    # ...and in general N days have elapsed by b when b is between the N-th and N+1-th due dates
    b = t + data.draw(st.integers(0, 400 * 86_400))
    elapsed = fast.business_days(t, b)
    stepper = Stepper(calendar)
    assert stepper.due(t, elapsed, 0) <= b < stepper.due(t, elapsed + 1, 0)


@laws
@given(st.data())
def test_later_starts_and_longer_durations_are_never_due_earlier(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    t = data.draw(starts(calendar))
    later = t + data.draw(st.one_of(st.integers(0, 3), st.integers(0, 30 * 86_400)))
    days, seconds = data.draw(durations(calendar))
    more_days, more_seconds = data.draw(st.integers(0, 30)), data.draw(st.integers(0, 86_400))
    assert due(calendar, t, days, seconds) <= due(calendar, later, days, seconds)
    assert due(calendar, t, days, seconds) <= due(
        calendar, t, days + more_days, seconds + more_seconds
    )


@laws
@given(st.data())
def test_elapsed_parts_add_up(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    t = data.draw(starts(calendar))
    days, first = data.draw(durations(calendar))
    _, second = data.draw(durations(calendar))
    once = due(calendar, t, days, first + second)
    assert due(calendar, due(calendar, t, days, first), 0, second) == once


@laws
@given(st.data())
def test_closed_time_adds_nothing(data: st.DataObject) -> None:
    calendar = data.draw(calendars())
    t = data.draw(starts(calendar))
    days, seconds = data.draw(durations(calendar).filter(lambda d: d != (0, 0)))
    fast = business_time(calendar)
    opening = fast.next_open(t)
    assert opening == t or not fast.is_open(t)
    assert fast.is_open(opening)
    assert due(calendar, t, days, seconds) == due(calendar, opening, days, seconds)


def _a_second_later(calendar: TestCalendar, t: int, days: int, seconds: int) -> None:
    fast, stepper = business_time(calendar), Stepper(calendar)
    jump = fast.elapsed(due(calendar, t, days, seconds), due(calendar, t + 1, days, seconds))
    spans = stepper.spans(stepper.day_of(t))  # t's day: a span may close at midnight
    if days and spans and spans[-1][1] == t + 1:
        target = stepper.day_of(due(calendar, t + 1, days, 0) - 1)
        longer = sum(b - a for a, b in stepper.spans(target)) - sum(b - a for a, b in spans)
        assert jump <= max(longer, 0) + 1
    else:
        assert jump <= 1


@laws
@given(st.data())
def test_a_second_later_moves_the_due_date_by_a_second_of_working_time(data: st.DataObject) -> None:
    """The due date never jumps over working time, only over closed time: a start one
    second later is due at most one working second later. The one exception is a start
    moving onto a day's close (then it counts from the next opening): a target day longer
    than the start's day adds at most the difference."""
    calendar = data.draw(calendars())
    _a_second_later(calendar, data.draw(starts(calendar)), *data.draw(durations(calendar)))


def test_a_start_moving_onto_a_close_at_midnight_is_that_exception() -> None:
    """Found by the law above: Tuesday open until 24:00 (9.5 h), Monday 10 h; a start at
    Tuesday 23:59:59 one second later counts from Monday, half an hour longer."""
    calendar = TestCalendar("random", "Europe/Berlin", {0: [(480, 1080)], 1: [(870, 1440)]})
    _a_second_later(calendar, 1_751_407_199, 1, 0)
