"""Shifts as an iCalendar file that calendar apps import (RFC 5545).

UIDs hash what identifies a shift (rotation, layer, person, start), so exporting
again updates events instead of duplicating them. Times are UTC.
"""

from __future__ import annotations

import hashlib

from icalendar import Calendar, Event

from opskit import __version__
from opskit.oncall.render import Shift
from opskit.time import zones


def uid(rotation: str, shift: Shift) -> str:
    key = f"{rotation}\0{shift.layer}\0{shift.person}\0{shift.start}"
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@opskit"


def export(title: str, shifts: list[tuple[str, Shift]], stamp: int) -> bytes:
    """`shifts` as (rotation name, shift); `stamp` is the DTSTAMP of every event."""
    calendar = Calendar()
    calendar.add("prodid", f"-//opskit//opskit {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    for rotation, shift in sorted(shifts, key=lambda item: (item[1].start, item[0])):
        event = Event()
        event.add("uid", uid(rotation, shift))
        event.add("dtstamp", zones.to_datetime(stamp))
        event.add("dtstart", zones.to_datetime(shift.start))
        event.add("dtend", zones.to_datetime(shift.end))
        layer = "" if shift.layer.startswith("layer-") else f" ({shift.layer})"
        event.add("summary", f"On call: {shift.person}, {rotation}{layer}")
        event.add("description", f"opskit rotation {rotation}, layer {shift.layer}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
