"""Targets and calendars in plain words, as customers read them.

- On the 24x7 calendar a duration is elapsed time in days, hours and minutes (a
  business day is 24 hours there) and the promise ends with "day and night".
- On a business calendar the elapsed part is working time, so days and weeks are
  given as the working hours they mean ("1d" is 24 business hours), business days
  as business days, and the promise ends with the calendar's hours in brackets.
"""

from __future__ import annotations

from opskit.policy.model import Calendar
from opskit.time.duration import Duration

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_AND_NIGHT = "day and night"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


def and_join(parts: list[str]) -> str:
    """Joined in words: a; a and b; a, b and c."""
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def elapsed_words(seconds: int) -> str:
    """Round-the-clock time: `1d12h` is "1 day and 12 hours"."""
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    units = ((days, "day"), (hours, "hour"), (minutes, "minute"), (secs, "second"))
    parts = [_count(n, unit) for n, unit in units if n]
    return and_join(parts) if parts else "0 minutes"


def business_words(duration: Duration) -> str:
    """Working time: `1bd4h` is "1 business day and 4 business hours", `1h30m` is
    "1 business hour and 30 minutes" (the first elapsed unit says it is business time)."""
    parts = [_count(duration.business_days, "business day")] if duration.business_days else []
    hours, rest = divmod(duration.seconds, 3_600)
    minutes, secs = divmod(rest, 60)
    prefix = "business "
    for number, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")):
        if number:
            parts.append(_count(number, prefix + unit))
            prefix = ""
    return and_join(parts) if parts else "0 business minutes"


def duration_words(duration: Duration, calendar: Calendar) -> str:
    if calendar.always_open:
        return elapsed_words(duration.calendar_seconds)
    return business_words(duration)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def windows_words(windows: list[tuple[int, int]]) -> str:
    return ", ".join(f"{clock(a)}–{clock(b)}" for a, b in windows)


def _day_range(first: int, last: int) -> str:
    if first == last:
        return DAYS[first]
    return f"{DAYS[first]}–{DAYS[last]}" if last > first + 1 else f"{DAYS[first]}, {DAYS[last]}"


def hours_words(calendar: Calendar) -> str:
    """`Mon–Fri 08:00–18:00 Europe/Berlin`; runs of weekdays with the same windows together."""
    if calendar.always_open:
        return "24 hours a day, 7 days a week"
    runs: list[tuple[int, int, str]] = []
    for day in range(7):
        windows = calendar.working_hours.get(day, [])
        if not windows:
            continue
        text = windows_words(windows)
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], day, text)
        else:
            runs.append((day, day, text))
    if not runs:
        return f"no working hours ({calendar.timezone})"
    days = "; ".join(f"{_day_range(a, b)} {text}" for a, b, text in runs)
    return f"{days} {calendar.timezone}"


def qualifier(calendar: Calendar) -> str:
    """What follows a duration: ", day and night" or " (Mon–Fri 09:00–17:00 Europe/Berlin)"."""
    return f", {DAY_AND_NIGHT}" if calendar.always_open else f" ({hours_words(calendar)})"


METRIC_SENTENCES = {
    "first_response": "We answer a {priority} within {time}{when}.",
    "next_update": "While it is open, we update you at least every {time}{when}.",
    "resolution": "We resolve it within {time}{when}.",
}


def promise(metric: str, priority: str, duration: Duration, calendar: Calendar) -> str:
    """One target as a sentence: "We answer a P1 within 15 minutes, day and night."."""
    time = duration_words(duration, calendar)
    if metric == "next_update" and time.startswith("1 ") and " and " not in time:
        time = time[2:]  # "every day", not "every 1 day"
    return METRIC_SENTENCES[metric].format(priority=priority, time=time, when=qualifier(calendar))
