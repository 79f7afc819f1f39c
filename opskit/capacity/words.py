"""Hours of the week in words: `Mon–Fri 08:00–10:00, Sat 09:00–10:00`."""

from __future__ import annotations

from collections.abc import Iterable

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_PARTS = 6


def _spans(hours: list[int]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for h in hours:
        if out and out[-1][1] == h:
            out[-1][1] = h + 1
        else:
            out.append([h, h + 1])
    return tuple((a, b) for a, b in out)


def hour_ranges(hours: Iterable[int]) -> str:
    """Hours of the week (0 = Monday 00:00) as day ranges sharing the same hours."""
    by_day: dict[int, list[int]] = {}
    for h in sorted(set(hours)):
        by_day.setdefault(h // 24, []).append(h % 24)
    groups: list[tuple[int, int, tuple[tuple[int, int], ...]]] = []  # first day, last, spans
    for day in sorted(by_day):
        spans = _spans(by_day[day])
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == spans:
            groups[-1] = (groups[-1][0], day, spans)
        else:
            groups.append((day, day, spans))
    parts = []
    for first, last, spans in groups:
        days = DAYS[first] if first == last else f"{DAYS[first]}–{DAYS[last]}"
        parts.append(f"{days} " + ", ".join(f"{a:02d}:00–{b:02d}:00" for a, b in spans))
    if len(parts) > MAX_PARTS:
        return "; ".join(parts[:MAX_PARTS]) + f"; and {len(parts) - MAX_PARTS} more"
    return "; ".join(parts)


def percent(share: float) -> str:
    return f"{share * 100:.1f}%".replace(".0%", "%")
