"""Run a PolicyTest: simulate the incident through calendars, tiers, rotations and ladders."""

from __future__ import annotations

import datetime as dt

from opskit.oncall.ladder import Page, pages, second_person_after
from opskit.oncall.who import schedules_around
from opskit.policy.checks.base import Finding
from opskit.policy.model import Policy, PolicyTest, SlaTier
from opskit.policy.values import parse_datetime, parse_duration
from opskit.time import business as clock
from opskit.time import zones


def _local(value: dt.datetime, timezone: str) -> str:
    return value.astimezone(zones.get(timezone).tz).strftime("%a %Y-%m-%d %H:%M")


def _minutes(seconds: int) -> str:
    return f"+{seconds // 60}m"


def tier_of(test: PolicyTest) -> SlaTier:
    return test.customer.tier if test.customer else test.service.tier


def run(policy: Policy, test: PolicyTest) -> list[Finding]:
    """Each failing assertion, at its position."""
    tier = tier_of(test)
    targets = tier.targets.get(test.priority.name)
    if targets is None:
        return [Finding(test.source.at("scenario", "priority"),
                        f"tier {tier.name!r} has no targets for {test.priority.name}")]  # fmt: skip
    t = zones.from_datetime(test.at)
    due = clock.due(tier.calendar, test.at, targets.first_response)
    found = pages(test.service.ladder, schedules_around(policy, t), t)
    expect, out = test.expect, []
    if "first_response_due" in expect:
        wanted = parse_datetime(expect["first_response_due"]).replace(
            tzinfo=zones.get(test.timezone).tz
        )
        if wanted != due:
            out.append(Finding(
                test.source.at("expect", "first_response_due"),
                f"the first response is due {_local(due, test.timezone)} ({targets.first_response} on "
                f"{tier.calendar.name}, tier {tier.name!r}), not {_local(wanted, test.timezone)}",
            ))  # fmt: skip
    for i, item in enumerate(expect.get("paged", [])):
        message = _paged(found, item["after"], set(item["people"]))
        if message:
            out.append(Finding(test.source.at("expect", "paged", i), message))
    if "reachable_in_time" in expect:
        message = _reachable(found, zones.from_datetime(due) - t, bool(expect["reachable_in_time"]))
        if message:
            out.append(Finding(test.source.at("expect", "reachable_in_time"), message))
    return out


def _paged(found: list[Page], after: str, wanted: set[str]) -> str | None:
    offset = parse_duration(after).calendar_seconds
    at = [p for p in found if p.offset == offset]
    if not at:
        offsets = ", ".join(_minutes(p.offset) for p in found)
        return f"nothing is paged at {_minutes(offset)}; pages go out at {offsets}"
    people = {person for p in at for person in p.people}
    if people == wanted:
        return None
    step = f"step {at[0].step}" + (f", repeat {at[0].loop}" if at[0].loop else "")
    got = ", ".join(sorted(people)) or "nobody"
    empty = f" (nobody on call in {', '.join(at[0].unstaffed)})" if at[0].unstaffed else ""
    return f"at {_minutes(offset)} ({step}) the ladder pages {got}{empty}, not {', '.join(sorted(wanted)) or 'nobody'}"


def _reachable(found: list[Page], budget: int, expected: bool) -> str | None:
    first = next((p for p in found if p.people), None)
    second = second_person_after(found)
    ok = first is not None and first.offset < budget and second is not None and second < budget
    if ok == expected:
        return None
    if ok:
        return f"two people are paged within the {budget // 60}m the first response allows"
    if first is None or first.offset >= budget:
        return f"nobody is paged within the {budget // 60}m the first response allows"
    if second is None:
        return "only one person is ever paged; nobody else is reached if they do not answer"
    return f"the second person is paged at {_minutes(second)}, after the {budget // 60}m the first response allows"
