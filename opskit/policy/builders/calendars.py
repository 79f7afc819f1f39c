"""Business-hours calendars: working windows per weekday plus holidays."""

from __future__ import annotations

from opskit.policy import model as m
from opskit.policy.builders.base import Builder
from opskit.policy.values import WEEKDAYS, parse_date, parse_window


def build_calendar(b: Builder, s: m.Source) -> m.Calendar | None:
    d = s.data
    b.timezone(d["timezone"], s, "timezone")
    hours: dict[int, list[tuple[int, int]]] = {}
    for day, windows in d["working_hours"].items():
        parsed = (
            b.value(parse_window, "time-invalid", w, s, "working_hours", day, i)
            for i, w in enumerate(windows)
        )
        hours[WEEKDAYS.index(day)] = sorted(w for w in parsed if w is not None)
    holidays = d.get("holidays", {})
    extra = {}
    for i, item in enumerate(holidays.get("extra", [])):
        day = b.value(parse_date, "date-invalid", item["date"], s, "holidays", "extra", i, "date")
        if day is not None:
            extra[day] = item.get("name", "holiday")
    worked = (
        b.value(parse_date, "date-invalid", t, s, "holidays", "exclude", i)
        for i, t in enumerate(holidays.get("exclude", []))
    )
    return m.Calendar(
        d["name"], d["timezone"], hours, holidays.get("country"), holidays.get("subdivision"),
        extra, frozenset(w for w in worked if w is not None), s,
    )  # fmt: skip
