"""Business time for many instants at once: the scalar rules as numpy index arithmetic.

Each function mirrors the one of the same name in `business_scalar`; see there for
the rules. Arguments are int64 arrays of POSIX seconds; business days and seconds are
arrays of the same shape, or one number for all. Searches go through the table's
bucketed searches, a few times quicker than `np.searchsorted` for many values.
"""

from __future__ import annotations

import numpy as np

from opskit.time.open_table import Int64s, OpenTable, Uncovered


def worked_before(table: OpenTable, t: Int64s) -> Int64s:
    if not table.spans:
        return np.zeros_like(t)
    i = table.search("start")(t) - 1
    inside = np.maximum(i, 0)
    worked = table.cum_before[inside] + np.minimum(t, table.end[inside]) - table.start[inside]
    return np.where(i < 0, 0, worked)


def day_position(table: OpenTable, t: Int64s) -> tuple[Int64s, Int64s]:
    i = table.search("end")(t)  # the span `t` is in, else the next one
    if i.size and int(i.max()) >= table.spans:
        raise Uncovered
    return table.span_day[i], table.opens_at[i] + np.maximum(t - table.start[i], 0)


def at_worked(table: OpenTable, worked: Int64s) -> Int64s:
    """The earliest instants by which `worked` (each > 0) seconds have passed."""
    if worked.size and int(worked.max()) > table.total:
        raise Uncovered
    k = table.search("cum_end")(worked)
    return table.start[k] + worked - table.cum_before[k]


def add_business_days(table: OpenTable, t: Int64s, days: Int64s) -> Int64s:
    """For days > 0 each."""
    day, position = day_position(table, t)
    from_opening = position == 0
    target = day + days - from_opening
    if target.size and int(target.max()) >= table.days:
        raise Uncovered
    worked = table.day_cum[target] + np.maximum(np.minimum(position, table.day_length[target]), 1)
    return np.where(from_opening, table.day_close[target], at_worked(table, worked))


def add_seconds(table: OpenTable, t: Int64s, seconds: Int64s) -> Int64s:
    """For seconds > 0 each."""
    return at_worked(table, worked_before(table, t) + seconds)


def due(table: OpenTable, t: Int64s, days: Int64s, seconds: Int64s) -> Int64s:
    """Business days first, then seconds; each part only for the instants that have it."""
    out = t.copy()
    for part, amounts in ((add_business_days, days), (add_seconds, seconds)):
        if amounts.ndim == 0:  # one duration for all
            if amounts > 0:
                out = part(table, out, np.full_like(out, amounts))
            continue
        having = amounts > 0
        if having.all():
            out = part(table, out, amounts)
        elif having.any():
            out[having] = part(table, out[having], amounts[having])
    return out


def elapsed(table: OpenTable, a: Int64s, b: Int64s) -> Int64s:
    return np.where(b > a, worked_before(table, b) - worked_before(table, a), 0)
