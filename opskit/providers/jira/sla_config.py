"""The SLA configuration JSM cannot take as code, as a checklist an admin follows.

JSM has no public API to write SLA metrics, goals or calendars (JSDCLOUD-15659),
so opskit renders exactly what to set in Project settings → SLAs.
"""

from __future__ import annotations

import datetime as dt

from opskit.policy.model import Calendar, Policy
from opskit.providers.jira.sla_goals import METRICS, Goal, goals, hours, hours_text
from opskit.time.calendars import holidays_between

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# When each metric's clock starts and stops, in JSM's condition names.
CONDITIONS = {
    "Time to first response": ("Issue created", "Comment: For Customers; Resolution: Set"),
    "Time to next update": ("Comment: For Customers", "Comment: For Customers; Resolution: Set"),
    "Time to resolution": ("Issue created", "Resolution: Set"),
}


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def render(policy: Policy, project: str, tier_field: str, today: dt.date) -> str:
    every = goals(policy, tier_field)
    out = [
        f"# SLA settings for Jira Service Management project {project}",
        "",
        "JSM has no API to write these; set them by hand in *Project settings → SLAs* and",
        "*Project settings → SLAs → Calendars*, tick each box, then run",
        "`opskit drift --target jira` to compare what Jira reports with the policies.",
        "",
    ]
    out += _calendars(
        sorted({id(g.calendar): g.calendar for g in every}.values(), key=lambda c: c.name), today
    )
    pauses = sorted({s for tier in policy.tiers.values() for s in tier.pause_statuses})
    for metric in METRICS:
        out += _metric(metric, [g for g in every if g.metric == metric], pauses, policy)
    return "\n".join(out).rstrip() + "\n"


def _calendars(calendars: list[Calendar], today: dt.date) -> list[str]:
    out = ["## Calendars", ""]
    last = today.replace(year=today.year + 1)
    for calendar in calendars:
        if calendar.always_open:
            out += [
                f"- [ ] **{calendar.name}**: JSM's built-in *24/7 Calendar*; nothing to set.",
                "",
            ]
            continue
        out += [f"- [ ] **{calendar.name}**: time zone `{calendar.timezone}`", "  - Working hours:"]
        for day, spans in sorted(calendar.working_hours.items()):
            for start, end in spans:
                out.append(f"    - [ ] {DAYS[day]} {_clock(start)}–{_clock(end)}")
        found = holidays_between(calendar, today, last)
        out.append(f"  - Holidays from {today} to {last} ({len(found)}):")
        out += [f"    - [ ] {day.isoformat()} {name}" for day, name in sorted(found.items())]
        out.append("")
    return out


def _metric(metric: str, wanted: list[Goal], pauses: list[str], policy: Policy) -> list[str]:
    if not wanted:
        return []
    start, stop = CONDITIONS[metric]
    out = [f"## Metric: {metric}", "", f"- [ ] Start counting: {start}"]
    out.append(
        f"- [ ] Pause counting during: {', '.join(f'Status: {s}' for s in pauses) or 'nothing'}"
    )
    differing = [t.name for t in policy.tiers.values() if sorted(t.pause_statuses) != pauses]
    if differing:
        out.append(
            f"  - Note: JSM pauses per metric, not per goal; tiers {', '.join(differing)} pause on "
            "fewer statuses, so their clocks here pause more than the policy says."
        )
    out += [
        f"- [ ] Stop counting: {stop}",
        "- Goals, in this order (JSM uses the first match):",
        "",
    ]
    out += ["  | | Issues (JQL) | Goal | Calendar |", "  |---|---|---|---|"]
    for goal in wanted:
        value = hours(goal)
        shown = (
            hours_text(value) if value is not None else f"{goal.target} (days differ: set per day)"
        )
        retired = " (retired tier: keep for old tickets)" if goal.tier.retired else ""
        out.append(f"  | [ ] | `{goal.jql}`{retired} | {shown} | {_calendar_name(goal.calendar)} |")
    out += ["  | [ ] | All remaining issues | No target | |", ""]
    return out


def _calendar_name(calendar: Calendar) -> str:
    return "24/7 Calendar" if calendar.always_open else calendar.name
