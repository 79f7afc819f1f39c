"""Every rotation rendered once over one window, and looked up by instant."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from opskit.oncall.render import Shift, render
from opskit.policy.model import Calendar, Policy, Rotation
from opskit.time import zones
from opskit.time.calendars import holidays_between, open_spans
from opskit.time.intervals import Span, intersect, union


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
    """`windows`, when given, limits rendering to those spans of [lo, hi): a caller that
    only asks about some days (holidays, say) need not render a year."""

    def __init__(
        self,
        policy: Policy,
        lo: int,
        hi: int,
        *,
        honour_holidays: bool = True,
        windows: list[Span] | None = None,
        twin: Schedules | None = None,
    ) -> None:
        """`twin`: the same window rendered the other way round for holidays; a rotation no
        holiday can change (no restriction follows a calendar) is taken from it."""
        self.policy, self.lo, self.hi = policy, lo, hi
        self.honour_holidays = honour_holidays
        self.twin = twin
        self.windows = [(lo, hi)] if windows is None else intersect(windows, [(lo, hi)])
        self._shifts: dict[str, list[Shift]] = {}
        self._starts: dict[str, list[int]] = {}
        self._open: dict[int, list[Span]] = {}
        self._covered: dict[str, list[Span]] = {}
        self.memo: dict[object, object] = {}  # derived results callers share, keyed by their own

    def open(self, calendar: Calendar) -> list[Span]:
        """When the calendar is open in the window (services share calendars: computed once)."""
        found = self._open.get(id(calendar))
        if found is None:
            found = open_spans(calendar, self.lo, self.hi)
            if self.windows != [(self.lo, self.hi)]:
                found = intersect(found, self.windows)
            self._open[id(calendar)] = found
        return found

    def shifts(self, rotation: Rotation) -> list[Shift]:
        found = self._shifts.get(rotation.name)
        if found is None and self.twin is not None and not follows_calendars(rotation):
            found = self._shifts[rotation.name] = self.twin._rendered(rotation)
            self._starts[rotation.name] = self.twin._starts[rotation.name]
        return found if found is not None else self._rendered(rotation)

    def _rendered(self, rotation: Rotation) -> list[Shift]:
        """The rotation rendered here (never asking the twin, which may ask back)."""
        found = self._shifts.get(rotation.name)
        if found is None:
            found = [
                shift
                for lo, hi in self.windows
                for shift in render(rotation, lo, hi, honour_holidays=self.honour_holidays)
            ]
            self._shifts[rotation.name] = found
            self._starts[rotation.name] = [s.start for s in found]
        return found

    def covered(self, rotation: Rotation) -> list[Span]:
        found = self._covered.get(rotation.name)
        if found is None:
            found = self._covered[rotation.name] = union(
                (s.start, s.end) for s in self.shifts(rotation)
            )
        return found

    def at(self, rotation: Rotation, t: int) -> Shift | None:
        shifts = self.shifts(rotation)
        i = bisect_right(self._starts[rotation.name], t) - 1
        return shifts[i] if i >= 0 and shifts[i].end > t else None

    def next_after(self, rotation: Rotation, t: int) -> Shift | None:
        shifts = self.shifts(rotation)
        i = bisect_right(self._starts[rotation.name], t)
        return shifts[i] if i < len(shifts) else None


def follows_calendars(rotation: Rotation) -> bool:
    """Whether some layer is on only in a calendar's hours: then holidays change it."""
    return any(r.calendar is not None for layer in rotation.layers for r in layer.restrictions)


def holiday_windows(policy: Policy, lo: int, hi: int) -> list[Span]:
    """The local days in [lo, hi) on which some rotation's restriction calendar closes
    for a holiday: the only times honouring holidays can change who is on call."""
    return rotation_holidays(policy.rotations.values(), lo, hi)


def rotation_holidays(rotations: Iterable[Rotation], lo: int, hi: int) -> list[Span]:
    """The same for some rotations only."""
    calendars = {
        id(r.calendar): r.calendar
        for rotation in rotations
        for layer in rotation.layers
        for r in layer.restrictions
        if r.calendar is not None and valid_zone(r.calendar.timezone)
    }
    spans: list[Span] = []
    for calendar in calendars.values():
        zone = zones.get(calendar.timezone)
        first, last = zones.date_of(zone.wall(lo)), zones.date_of(zone.wall(hi))
        for day in holidays_between(calendar, first, last):
            midnight = zones.wall_of(day)
            spans.append((zone.utc(midnight), zone.utc(midnight + zones.DAY)))
    return intersect(union(spans), [(lo, hi)])
