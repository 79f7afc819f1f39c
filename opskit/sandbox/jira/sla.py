"""SLA clocks for a request, as JSM would report them for the sandbox's fixed goals.

Goals are per priority on a 24x7 calendar (JSM exposes no API to configure them); the clock
pauses while the request is "Waiting for customer" or "Pending release". "Time to first
response" stops at the first public comment by someone other than the reporter; "Time to
resolution" stops when the request reaches a done status.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.jira.common import jira_time, parse_jira_time
from opskit.sandbox.jira.workflow import STATUSES
from opskit.sandbox.state import now, state

HOUR = 3600
GOALS = {
    "P1": (1 * HOUR, 4 * HOUR),
    "P2": (4 * HOUR, 24 * HOUR),
    "P3": (8 * HOUR, 72 * HOUR),
    "P4": (24 * HOUR, 120 * HOUR),
}
DEFAULT_GOAL = (8 * HOUR, 120 * HOUR)
PAUSED = {"Waiting for customer", "Pending release"}


def _status_periods(issue: Doc) -> list[tuple[datetime, str]]:
    """(since, status) in time order, from the changelog."""
    periods = [(parse_jira_time(issue["created"]), "Open")]
    for h in issue.get("changelog", []):
        for item in h["items"]:
            if item.get("fieldId") == "status":
                periods.append((parse_jira_time(h["created"]), str(item.get("toString"))))
    return periods


def _elapsed(periods: list[tuple[datetime, str]], stop: datetime) -> int:
    total = 0.0
    for (start, status), nxt in zip(periods, [*periods[1:], (stop, "")], strict=True):
        end = min(nxt[0], stop)
        if status not in PAUSED and end > start:
            total += (end - start).total_seconds()
    return int(total)


def _duration(seconds: int) -> Doc:
    hours, rest = divmod(abs(seconds), HOUR)
    sign = "-" if seconds < 0 else ""
    return {"millis": seconds * 1000, "friendly": f"{sign}{hours}h {rest // 60}m"}


def date_dto(when: datetime) -> Doc:
    return {
        "epochMillis": int(when.timestamp() * 1000),
        "friendly": when.strftime("%d/%b/%y %I:%M %p"),
        "iso8601": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S%z"),
        "jira": jira_time(when),
    }


def _metric(
    mid: str, name: str, goal: int, periods: list[tuple[datetime, str]], stop: datetime | None
) -> Doc:
    created = periods[0][0]
    end = stop or now()
    elapsed = _elapsed(periods, end)
    breach = created + timedelta(seconds=goal + (end - created).total_seconds() - elapsed)
    cycle: dict[str, Any] = {
        "startTime": date_dto(created),
        "breachTime": date_dto(breach),
        "breached": elapsed > goal,
        "goalDuration": _duration(goal),
        "elapsedTime": _duration(elapsed),
        "remainingTime": _duration(goal - elapsed),
    }
    out: Doc = {"id": mid, "name": name, "completedCycles": []}
    if stop is not None:
        out["completedCycles"] = [{**cycle, "stopTime": date_dto(stop)}]
    else:
        out["ongoingCycle"] = {
            **cycle,
            "paused": periods[-1][1] in PAUSED,
            "withinCalendarHours": True,
        }
    return out


def sla_metrics(issue: Doc) -> list[Doc]:
    prio = state().store.get("jira.priority", issue.get("priority") or "") or {}
    first_goal, resolve_goal = GOALS.get(str(prio.get("name")), DEFAULT_GOAL)
    periods = _status_periods(issue)
    responded = next(
        (
            parse_jira_time(c["created"])
            for c in issue.get("comments", [])
            if c["author"] != issue.get("reporter") and c.get("public", True)
        ),
        None,
    )
    resolved = next((t for t, s in periods if STATUSES.get(s, ("", ""))[1] == "done"), None)
    return [
        _metric("1", "Time to first response", first_goal, periods, responded),
        _metric("2", "Time to resolution", resolve_goal, periods, resolved),
    ]
