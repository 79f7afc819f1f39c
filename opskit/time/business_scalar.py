"""Business time for one instant at a time: `bisect` on a table's lists.

A working day's position is the working time already elapsed that day. Closed time
counts from the next opening: in a break that is the position the day resumes at;
before the day's first opening (or after its last close) it is 0, an opening.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from opskit.time.open_table import Lists, Uncovered


def worked_before(table: Lists, t: int) -> int:
    """Working seconds from the table's start to `t`."""
    i = bisect_right(table.start, t) - 1
    if i < 0:
        return 0
    return table.cum_before[i] + min(t, table.end[i]) - table.start[i]


def is_open(table: Lists, t: int) -> bool:
    i = bisect_right(table.start, t) - 1
    return i >= 0 and t < table.end[i]


def next_open(table: Lists, t: int) -> int:
    i = bisect_right(table.end, t)
    if i == len(table.end):
        raise Uncovered
    return max(t, table.start[i])


def day_position(table: Lists, t: int) -> tuple[int, int]:
    """The working day `t` counts in and its position there."""
    i = bisect_right(table.end, t)  # the span `t` is in, else the next one
    if i == len(table.end):
        raise Uncovered
    # before span i opens, `t` is in closed time: where span i opens (0 after a close)
    return table.span_day[i], table.opens_at[i] + max(t - table.start[i], 0)


def at_worked(table: Lists, worked: int, lo: int = 0, hi: int | None = None) -> int:
    """The earliest instant by which `worked` (> 0) seconds have passed since the start."""
    if worked > (table.cum_end[-1] if table.cum_end else 0):
        raise Uncovered
    k = bisect_left(table.cum_end, worked, lo, len(table.cum_end) if hi is None else hi)
    return table.start[k] + worked - table.cum_before[k]


def add_business_days(table: Lists, t: int, days: int) -> int:
    if days == 0:
        return t
    day, position = day_position(table, t)
    if position == 0:  # from an opening, the N-th working day's close
        target = day + days - 1
        if target >= len(table.day_close):
            raise Uncovered
        return table.day_close[target]
    target = day + days
    if target >= len(table.day_close):
        raise Uncovered
    worked = table.day_cum[target] + min(position, table.day_length[target])
    return at_worked(table, worked, table.day_first[target], table.day_first[target + 1])


def add_seconds(table: Lists, t: int, seconds: int) -> int:
    if seconds == 0:
        return t
    return at_worked(table, worked_before(table, t) + seconds)


def business_days_between(table: Lists, a: int, b: int) -> int:
    """The most N with `add_business_days(a, N) <= b` (0 if b is not after a)."""
    if b <= a:
        return 0
    day, position = day_position(table, a)
    i = bisect_right(table.start, b) - 1  # the last span opened by b
    if i < table.day_first[day]:
        return 0  # b comes before a's day opens
    last = table.span_day[i]
    reached = worked_before(table, b) - table.day_cum[last]
    if position == 0:
        return last - day + (1 if reached == table.day_length[last] else 0)
    return last - day - (0 if min(position, table.day_length[last]) <= reached else 1)
