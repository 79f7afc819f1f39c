"""Which years of a calendar's open spans are built: lazily, in whole local years.

A table covers what was asked for plus a year either side (a local day starts up to
14 hours before or after its UTC date), and grows when asked for more; the years
built are kept, so growing only builds the new ones. Policies live in 1970-2200 and
look at most ten years ahead, so a table never holds more than about 250 years.
"""

from __future__ import annotations

import datetime as dt

from opskit.time import zones
from opskit.time.calendars import Calendar
from opskit.time.open_table import OpenTable, YearSpans, year_spans

GROWTH = 2  # years added beyond what was asked for when a table grows


def year_of(t: int) -> int:
    return zones.date_of(t).year


class Coverage:
    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self._years: dict[int, YearSpans] = {}
        self._table: OpenTable | None = None

    def covering(self, lo: int, hi: int) -> OpenTable:
        """A table with every span of the local days that hold instants lo..hi."""
        table = self._table
        if table is not None and table.covers_from <= lo and hi < table.covers_until:
            return table
        first, last = year_of(lo) - 1, year_of(hi) + 1
        if table is not None:  # growing: by a margin too, so a stream of later starts
            # (tickets in order of arrival) rebuilds the table once every few years
            first = min(first - GROWTH if first < table.first_year else first, table.first_year)
            last = max(last + GROWTH if last > table.last_year else last, table.last_year)
        # The zone's table grows by rebuilding: ask for both ends first, so it is
        # built once for the whole range rather than once a year.
        zones.get(self.calendar.timezone).changes(
            zones.wall_of(dt.date(first, 1, 1)) - zones.DAY,
            zones.wall_of(dt.date(last, 12, 31)) + 2 * zones.DAY,
        )
        for year in range(first, last + 1):
            if year not in self._years:
                self._years[year] = year_spans(self.calendar, year)
        self._table = OpenTable(first, last, [self._years[y] for y in range(first, last + 1)])
        return self._table
