"""The on-call diff as sentences a reviewer reads: text, Markdown (a PR comment) or JSON."""

from __future__ import annotations

from typing import Any

from opskit.oncall import diff, zones
from opskit.oncall.intervals import Span
from opskit.oncall.who import iso
from opskit.policy.model import Policy

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


def _ranges(policy: Policy, timezone: str, spans: list[Span]) -> list[str]:
    out = []
    for group in groups(spans):
        names = diff.holidays_in(policy, timezone, (group[0][0], group[-1][1]))
        out.append(describe(group, timezone) + (f" ({', '.join(names)})" if names else ""))
    if len(out) > SHOWN:
        out = [*out[:SHOWN], f"and {len(out) - SHOWN} more"]
    return out


def _sentence(policy: Policy, change: diff.Change, verb: str, spans: list[Span]) -> str:
    weekends = diff.weekends(change.timezone, spans)
    extra = f", {_count(weekends, 'weekend')}" if weekends else ""
    ranges = "; ".join(_ranges(policy, change.timezone, spans))
    return f"{change.person} {verb} {diff.hours(spans):g}h{extra}: {ranges}"


def report(base: Policy, head: Policy, lo: int, hi: int, base_ref: str) -> dict[str, Any]:
    people = []
    for change in diff.people(base, head, lo, hi):
        sentences = [
            _sentence(head, change, verb, spans)
            for verb, spans in (("gains", change.gained), ("loses", change.lost))
            if spans
        ]
        people.append({
            "person": change.person, "timezone": change.timezone,
            "gained_hours": diff.hours(change.gained), "lost_hours": diff.hours(change.lost),
            "gained": [{"start": iso(a), "end": iso(b)} for a, b in change.gained],
            "lost": [{"start": iso(a), "end": iso(b)} for a, b in change.lost],
            "summary": sentences,
        })  # fmt: skip
    gaps = []
    for service, (opened, closed) in diff.new_gaps(base, head, lo, hi).items():
        timezone = (
            head.services[service].support_hours.timezone if service in head.services else "UTC"
        )
        gaps.append({
            "service": service,
            "opened": [{"start": iso(a), "end": iso(b)} for a, b in opened],
            "closed": [{"start": iso(a), "end": iso(b)} for a, b in closed],
            "summary": [f"new gap {_when(g, timezone)} in {service}" for g in groups(opened, DAILY)[:SHOWN]]
            + [f"gap closed {_when(g, timezone)} in {service}" for g in groups(closed, DAILY)[:SHOWN]],
        })  # fmt: skip
    return {
        "base": base_ref, "from": iso(lo), "to": iso(hi),
        "people": people, "gaps": gaps, "targets": diff.targets(base, head),
    }  # fmt: skip


def _when(group: list[Span], timezone: str) -> str:
    return f"{describe(group, timezone)} {timezone}"


def lines(found: dict[str, Any]) -> list[str]:
    out = [s for p in found["people"] for s in p["summary"]]
    out += [s for g in found["gaps"] for s in g["summary"]]
    return out + list(found["targets"])


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
        ("Coverage", [s for g in found["gaps"] for s in g["summary"]]),
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
