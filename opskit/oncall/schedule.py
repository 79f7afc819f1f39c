"""Every rotation rendered once over one window, and looked up by instant."""

from __future__ import annotations

from bisect import bisect_right

from opskit.oncall import zones
from opskit.oncall.calendars import open_spans
from opskit.oncall.intervals import Span, union
from opskit.oncall.render import Shift, render
from opskit.policy.model import Calendar, Policy, Rotation


def valid_zone(name: str) -> bool:
    try:
        zones.get(name)
    except ValueError:
        return False
    return True


def renderable(rotation: Rotation) -> bool:
    """Its zone and its restriction calendars' zones are real (else the builder reported them)."""
    names = [rotation.timezone] + [
        r.calendar.timezone for layer in rotation.layers for r in layer.restrictions if r.calendar
    ]
    return all(valid_zone(name) for name in names)


class Schedules:
    def __init__(self, policy: Policy, lo: int, hi: int, *, honour_holidays: bool = True) -> None:
        self.policy, self.lo, self.hi = policy, lo, hi
        self.honour_holidays = honour_holidays
        self._shifts: dict[str, list[Shift]] = {}
        self._starts: dict[str, list[int]] = {}
        self._open: dict[int, list[Span]] = {}

    def open(self, calendar: Calendar) -> list[Span]:
        """When the calendar is open in the window (services share calendars: computed once)."""
        found = self._open.get(id(calendar))
        if found is None:
            found = self._open[id(calendar)] = open_spans(calendar, self.lo, self.hi)
        return found

    def shifts(self, rotation: Rotation) -> list[Shift]:
        found = self._shifts.get(rotation.name)
        if found is None:
            found = render(rotation, self.lo, self.hi, honour_holidays=self.honour_holidays)
            self._shifts[rotation.name] = found
            self._starts[rotation.name] = [s.start for s in found]
        return found

    def covered(self, rotation: Rotation) -> list[Span]:
        return union((s.start, s.end) for s in self.shifts(rotation))

    def at(self, rotation: Rotation, t: int) -> Shift | None:
        shifts = self.shifts(rotation)
        i = bisect_right(self._starts[rotation.name], t) - 1
        return shifts[i] if i >= 0 and shifts[i].end > t else None

    def next_after(self, rotation: Rotation, t: int) -> Shift | None:
        shifts = self.shifts(rotation)
        i = bisect_right(self._starts[rotation.name], t)
        return shifts[i] if i < len(shifts) else None
