"""Calendars, windows and overrides: time that makes sense."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator

from opskit.policy.checks.base import Context, Finding
from opskit.policy.model import Calendar
from opskit.policy.schemas import suggest
from opskit.policy.values import WEEKDAYS, format_minutes, parse_window


@functools.cache
def _countries() -> frozenset[str]:
    """Codes the holidays library knows, from its registry. Importing the library takes
    longer than the rest of a small run, so the list is kept on disk per its version."""
    from opskit.disk_cache import JsonCache, release

    cache = JsonCache(f"holidays-{release('holidays')}-countries.json")
    known = cache.get("countries")
    if known is None:
        from holidays.registry import COUNTRIES

        known = sorted(code for names in COUNTRIES.values() for code in names[1:] if code.isupper())
        cache.put("countries", known)
    return frozenset(known)


def _country_ok(country: str) -> bool:
    return country in _countries()


@functools.cache
def _subdivisions(country: str) -> tuple[str, ...]:
    """Asking holidays imports every country's tables (slow), so the answer is cached on disk."""
    from opskit.disk_cache import JsonCache, release

    cache = JsonCache(f"holidays-{release('holidays')}-subdivisions.json")
    known = cache.get(country)
    if known is None:
        import holidays

        known = list(holidays.country_holidays(country).subdivisions)
        cache.put(country, known)
    return tuple(known)


def _with_country(context: Context) -> Iterator[tuple[Calendar, str]]:
    for calendar in context.policy.calendars.values():
        if calendar.holiday_country is not None:
            yield calendar, calendar.holiday_country


def country(context: Context) -> Iterator[Finding]:
    for calendar, code in _with_country(context):
        if not _country_ok(code):
            hint = suggest(code.upper(), sorted(_countries()))
            assert calendar.source
            position = calendar.source.at("holidays", "country")
            yield Finding(position, f"holidays has no country {code!r} (ISO 3166-1 alpha-2){hint}")


def subdivision(context: Context) -> Iterator[Finding]:
    for calendar, code in _with_country(context):
        sub = calendar.holiday_subdivision
        if sub is None or not _country_ok(code):
            continue
        known = _subdivisions(code)
        if sub not in known:
            listed = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
            assert calendar.source
            position = calendar.source.at("holidays", "subdivision")
            yield Finding(
                position, f"{code} has no subdivision {sub!r} (known: {listed or 'none'})"
            )


def inverted(context: Context) -> Iterator[Finding]:
    for calendar in context.policy.calendars.values():
        for day in sorted(calendar.working_hours):
            for index, (start, end) in enumerate(_raw_windows(calendar, day)):
                if end <= start:
                    assert calendar.source
                    position = calendar.source.at("working_hours", WEEKDAYS[day], index)
                    text = f"{format_minutes(start)}-{format_minutes(end)}"
                    yield Finding(
                        position,
                        f"window {text} ends before it starts; split windows that cross midnight",
                    )
    for rotation in context.policy.rotations.values():
        for i, layer in enumerate(rotation.layers):
            for j, restriction in enumerate(layer.restrictions):
                if restriction.window and restriction.window[0] == restriction.window[1]:
                    position = rotation.source.at("layers", i, "restrictions", j, "hours")
                    yield Finding(position, "restriction window is empty (starts where it ends)")


def _raw_windows(calendar: Calendar, day: int) -> list[tuple[int, int]]:
    """Windows in the order written, so findings point at the right list item."""
    assert calendar.source
    texts = calendar.source.data["working_hours"].get(WEEKDAYS[day], [])
    out = []
    for text in texts:
        try:
            out.append(parse_window(text))
        except ValueError:
            out.append((0, 1))  # reported by the builder; keep indices aligned
    return out


def overlap(context: Context) -> Iterator[Finding]:
    for calendar in context.policy.calendars.values():
        for day in sorted(calendar.working_hours):
            windows = sorted(
                (w, i) for i, w in enumerate(_raw_windows(calendar, day)) if w[0] < w[1]
            )
            for (previous, _), (current, index) in itertools.pairwise(windows):
                if current[0] < previous[1]:
                    assert calendar.source
                    position = calendar.source.at("working_hours", WEEKDAYS[day], index)
                    yield Finding(
                        position,
                        f"{WEEKDAYS[day]} window {format_minutes(current[0])}-{format_minutes(current[1])} "
                        f"overlaps {format_minutes(previous[0])}-{format_minutes(previous[1])}",
                    )


def overrides(context: Context) -> Iterator[Finding]:
    for rotation in context.policy.rotations.values():
        for override in rotation.overrides:
            if override.end <= override.start:
                position = rotation.source.at("overrides", override.index, "end")
                yield Finding(
                    position, f"override for {override.person.name} ends before it starts"
                )
