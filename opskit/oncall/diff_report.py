"""The on-call diff as sentences a reviewer reads: text, Markdown (a PR comment) or JSON."""

from __future__ import annotations

from typing import Any

from opskit.oncall import diff
from opskit.oncall.who import iso
from opskit.policy.model import Policy
from opskit.time import zones
from opskit.time.intervals import Span, union

_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
SHOWN = 6
DAILY = 25 * 3600  # gaps recurring at one time of day read as one


def _count(n: int, noun: str) -> str:
    word = _WORDS[n] if n < len(_WORDS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


def span_text(span: Span, timezone: str) -> str:
    zone = zones.get(timezone)
    a, b = zones.to_datetime(zone.wall(span[0])), zones.to_datetime(zone.wall(span[1]))
    if span[1] - span[0] >= 20 * 3600:
        last = zones.to_datetime(zone.wall(span[1] - 1))
        if a.date() == last.date():
            return a.strftime("%a %-d %b")
        if (a.year, a.month) == (last.year, last.month):
            return f"{a.day}–{last.day} {a:%b}"
        return f"{a:%-d %b} – {last:%-d %b}"
    if b.date() != a.date() and not (b.hour == b.minute == 0 and (b - a).days == 0):
        return f"{a:%a %-d %b %H:%M} – {b:%a %-d %b %H:%M}"
    end = "24:00" if b.hour == b.minute == 0 else f"{b:%H:%M}"
    return f"{a:%a %-d %b %H:%M}–{end}"


def groups(spans: list[Span], within: int = 12 * 3600) -> list[list[Span]]:
    """Spans less than `within` apart belong together (the daily pieces of a restricted week)."""
    out: list[list[Span]] = []
    for span in spans:
        if out and span[0] - out[-1][-1][1] < within:
            out[-1].append(span)
        else:
            out.append([span])
    return out


def _clock(t: int, timezone: str) -> str:
    wall = zones.get(timezone).wall(t)
    return f"{wall % zones.DAY // 3600:02d}:{wall % 3600 // 60:02d}"


def describe(group: list[Span], timezone: str) -> str:
    if len(group) == 1:
        return span_text(group[0], timezone)
    whole = (
        span_text((group[0][0], group[-1][1]), timezone)
        if group[-1][1] - group[0][0] >= 20 * 3600
        else ""
    )
    times = {(_clock(a, timezone), _clock(b, timezone)) for a, b in group}
    if len(times) == 1:
        start, end = times.pop()
        return f"{whole}, {start}–{'24:00' if end == '00:00' else end} daily"
    return f"{whole} (in {len(group)} parts)"


def _ranges(policy: Policy, timezone: str, spans: list[Span], within: int = 12 * 3600) -> list[str]:
    out = []
    for group in groups(spans, within):
        names = diff.holidays_in(policy, timezone, (group[0][0], group[-1][1]))
        out.append(describe(group, timezone) + (f" ({', '.join(names)})" if names else ""))
    if len(out) > SHOWN:
        out = [*out[:SHOWN], f"and {len(out) - SHOWN} more"]
    return out


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def role_text(change: diff.Change, verb: str) -> str:
    """'in cloud-primary (step 1 of storage-critical and storage-standard)', or for a step's
    own change 'at step 2 of main (directly)' or 'at step 2 of main (through secondary)'."""
    role = change.role
    if role.rotation:
        by_step: dict[int, list[str]] = {}
        for ladder, step in change.feeds:
            by_step.setdefault(step, []).append(ladder)
        feeds = "; ".join(f"step {step} of {_and(by_step[step])}" for step in sorted(by_step))
        return f"in {role.rotation}" + (f" ({feeds})" if feeds else "")
    via = change.gained_via if verb == "gains" else change.lost_via
    through = [r for r in via if r != diff.DIRECTLY]
    how = ([diff.DIRECTLY] if diff.DIRECTLY in via else []) + (
        [f"through {_and(through)}"] if through else []
    )
    return f"at step {role.step} of {role.ladder}" + (f" ({' and '.join(how)})" if how else "")


def _sentence(
    policy: Policy, subject: str, timezone: str, spans: list[Span], role: str = "", within: int = 12 * 3600
) -> str:
    """'dan gains 126h in duty (step 1 of main), one weekend: 21–27 Dec, 06:00–24:00 daily'."""
    weekends = diff.weekends(timezone, spans)
    extra = f", {_count(weekends, 'weekend')}" if weekends else ""
    ranges = "; ".join(_ranges(policy, timezone, spans, within))
    return f"{subject} {diff.hours(spans):g}h{f' {role}' if role else ''}{extra}: {ranges}"


def _spans(spans: list[Span]) -> list[dict[str, str]]:
    return [{"start": iso(a), "end": iso(b)} for a, b in spans]


def _change(policy: Policy, change: diff.Change) -> dict[str, Any]:
    return {
        "rotation": change.role.rotation or None,
        "ladder": change.role.ladder or None,
        "step": change.role.step or None,
        "feeds": [{"ladder": ladder, "step": step} for ladder, step in change.feeds],
        "gained_via": change.gained_via, "lost_via": change.lost_via,
        "gained_hours": diff.hours(change.gained), "lost_hours": diff.hours(change.lost),
        "gained": _spans(change.gained), "lost": _spans(change.lost),
        "summary": [
            _sentence(policy, f"{change.person} {verb}", change.timezone, spans, role_text(change, verb))
            for verb, spans in (("gains", change.gained), ("loses", change.lost))
            if spans
        ],
    }  # fmt: skip


def report(base: Policy, head: Policy, lo: int, hi: int, base_ref: str) -> dict[str, Any]:
    before, after = diff.Side(base, lo, hi), diff.Side(head, lo, hi)
    by_person: dict[str, list[diff.Change]] = {}
    for change in diff.changes(before, after):
        by_person.setdefault(change.person, []).append(change)
    people = []
    for person, found in by_person.items():
        changes = [_change(head, change) for change in found]
        gained = union(s for change in found for s in change.gained)
        lost = union(s for change in found for s in change.lost)
        people.append({
            "person": person, "timezone": found[0].timezone,
            "gained_hours": diff.hours(gained), "lost_hours": diff.hours(lost),
            "gained": _spans(gained), "lost": _spans(lost),
            "changes": changes,
            "summary": [s for change in changes for s in change["summary"]],
        })  # fmt: skip
    bookings = []
    for booking in diff.double_booked(before, after):
        (i, a), (j, b) = booking.first, booking.second
        what = f"in {booking.ladder}: {booking.person} is on call in {a} (step {i}) and {b} (step {j}) at once for"
        bookings.append({
            "ladder": booking.ladder, "person": booking.person, "timezone": booking.timezone,
            "first": {"step": i, "rotation": a}, "second": {"step": j, "rotation": b},
            "opened": _spans(booking.opened), "closed": _spans(booking.closed),
            "summary": [
                _sentence(head, f"{label} {what}", booking.timezone, spans, within=DAILY)
                for label, spans in (("new double-booking", booking.opened), ("double-booking ends", booking.closed))
                if spans
            ],
        })  # fmt: skip
    gaps = []
    for service, (opened, closed) in diff.new_gaps(base, head, lo, hi).items():
        timezone = (
            head.services[service].support_hours.timezone if service in head.services else "UTC"
        )
        gaps.append({
            "service": service,
            "opened": _spans(opened),
            "closed": _spans(closed),
            "summary": [f"new gap {_when(g, timezone)} in {service}" for g in groups(opened, DAILY)[:SHOWN]]
            + [f"gap closed {_when(g, timezone)} in {service}" for g in groups(closed, DAILY)[:SHOWN]],
        })  # fmt: skip
    return {
        "base": base_ref, "from": iso(lo), "to": iso(hi),
        "people": people, "double_bookings": bookings, "gaps": gaps,
        "targets": diff.targets(base, head),
        "rosters": diff.rosters(base, head, lo, hi),
    }  # fmt: skip


def _when(group: list[Span], timezone: str) -> str:
    return f"{describe(group, timezone)} {timezone}"


def lines(found: dict[str, Any]) -> list[str]:
    out = [s for p in found["people"] for s in p["summary"]]
    out += [s for b in found["double_bookings"] for s in b["summary"]]
    out += [s for g in found["gaps"] for s in g["summary"]]
    return out + list(found.get("rosters", [])) + list(found["targets"])


def as_text(found: dict[str, Any]) -> str:
    head = (
        f"On-call changes against {found['base'][:12]}, {found['from'][:10]} to {found['to'][:10]}:"
    )
    body = lines(found)
    return "\n".join([head, *(f"  {line}" for line in body)] if body else [head, "  no changes"])


def as_markdown(found: dict[str, Any]) -> str:
    out = [
        f"### On-call changes\n\nAgainst `{found['base'][:12]}`, {found['from'][:10]} to {found['to'][:10]}.\n"
    ]
    sections = (
        ("Who is on call", [s for p in found["people"] for s in p["summary"]]),
        ("Double-bookings", [s for b in found["double_bookings"] for s in b["summary"]]),
        ("Coverage", [s for g in found["gaps"] for s in g["summary"]]),
        ("Rosters", found.get("rosters", [])),
        ("Promises", found["targets"]),
    )
    for title, items in sections:
        if items:
            out.append(f"**{title}**\n")
            out += [f"- {item}" for item in items]
            out.append("")
    if not lines(found):
        out.append("No changes to who is on call, coverage or promises.")
    return "\n".join(out).rstrip() + "\n"
