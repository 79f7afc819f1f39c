"""Parsers for the small value languages policies use: durations, times, dates."""

from __future__ import annotations

import datetime as dt
import functools
import re

from opskit.time.duration import SECONDS_PER_UNIT as _SECONDS
from opskit.time.duration import Duration
from opskit.time.zones import zone

__all__ = ["Duration", "zone"]

_DURATION_PART = re.compile(r"([0-9]+)(w|bd|d|h|m|s)")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class OutOfRange(ValueError):
    """Well written, but too long or too short for where it is used."""


# Nothing a support policy says lasts longer: a resolution target, a horizon, a shift.
MAX_DURATION_DAYS = 731
MAX_BUSINESS_DAYS = 522


@functools.lru_cache(maxsize=1024)  # policies repeat a few durations thousands of times
def parse_duration(text: str, *, at_least_seconds: int = 0) -> Duration:
    """A duration as written (`1h30m`, `2bd`), between `at_least_seconds` and two years."""
    pos, seconds, business_days, seen = 0, 0, 0, set()
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos or match.group(2) in seen or len(match.group(1)) > 9:
            break
        count, unit = int(match.group(1)), match.group(2)
        seen.add(unit)
        pos = match.end()
        if unit == "bd":
            business_days += count
        else:
            seconds += count * _SECONDS[unit]
    if pos != len(text) or not seen:
        raise ValueError(
            f"{text!r} is not a duration: use forms such as 15m, 4h, 1h30m, 2d, 1w, 2bd"
        )
    if seconds > MAX_DURATION_DAYS * 86_400 or business_days > MAX_BUSINESS_DAYS:
        raise OutOfRange(f"{text!r} is longer than two years, the longest a policy may say")
    if business_days == 0 and seconds < at_least_seconds:
        least = Duration(0, at_least_seconds)
        raise OutOfRange(f"{text!r} is shorter than {least}, the shortest allowed here")
    return Duration(business_days, seconds, text)


def parse_time(text: str, *, allow_24: bool = False) -> int:
    """'HH:MM' to minutes after midnight."""
    match = re.fullmatch(r"([0-9]{2}):([0-9]{2})", text)
    if match:
        hours, minutes = int(match.group(1)), int(match.group(2))
        if (hours < 24 and minutes < 60) or (allow_24 and hours == 24 and minutes == 0):
            return hours * 60 + minutes
    raise ValueError(f"{text!r} is not a time of day: use 24-hour HH:MM, e.g. 09:00")


def parse_window(text: str) -> tuple[int, int]:
    """'HH:MM-HH:MM' to (start, end) minutes; the end may be 24:00."""
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(f"{text!r} is not a window: use HH:MM-HH:MM, e.g. 09:00-17:30")
    return parse_time(start), parse_time(end, allow_24=True)


# Support promises live in these years; outside them the time zone database, the holidays
# library and PagerDuty all stop making sense (and year 1 overflows on any offset).
FIRST_YEAR, LAST_YEAR = 1970, 2200


def within_years(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{text!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}")


def parse_percent(text: str) -> float:
    """`95%` as 0.95 (the schema has checked the form)."""
    if not text.endswith("%"):
        raise ValueError(f"{text!r} is not a percentage such as 95%")
    share = float(text[:-1]) / 100
    if not 0 <= share <= 1:
        raise ValueError(f"{text!r} is not between 0% and 100%")
    return share


def parse_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)
    within_years(day.year, text)
    return day


def parse_datetime(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time: use YYYY-MM-DDTHH:MM") from None
    within_years(moment.year, text)
    return moment


def _bad_date(text: str) -> dt.date:
    raise ValueError(f"{text!r} is not a calendar date: use YYYY-MM-DD")


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
