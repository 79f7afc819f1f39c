"""Managed overrides that make PagerDuty page on holidays whom the policy's calendars say.

PagerDuty layers know no holidays: a layer restricted to an office's hours stays active
on the office's holidays. With `targets.pagerduty.holiday_overrides`, the plan renders
each rotation both ways over its horizon and, inside each holiday of the calendars its
restrictions use, puts an override wherever PagerDuty would page someone other than the
policy's person. Where the policy has nobody, no override can say so: that is a warning.

Overrides carry no description, so the schedule keeps the list of the ones opskit made
(a short digest of each) in its description, beside the ownership marker: those, and
only those, are opskit's to remove when a holiday or a roster changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import replace
from typing import Any

from opskit.oncall import render
from opskit.oncall.schedule import rotation_holidays
from opskit.policy.model import Rotation
from opskit.providers.pagerduty import final
from opskit.providers.pagerduty.paging import HORIZON
from opskit.providers.pagerduty.times import utc_text
from opskit.sync.resources import Desired, Live, Warning
from opskit.time import zones
from opskit.time.intervals import intersect

LEDGER = re.compile(r"\s*holiday overrides by opskit: ([0-9a-f ]*)\s*$")
Derived = tuple[str, str, str]  # email, start, end (UTC text)


def ledger_id(key: str) -> str:
    """Ten hex digits naming an override (its key is who and when) in the ledger."""
    return hashlib.blake2s(key.encode(), digest_size=5).hexdigest()


def read_ledger(description: str) -> tuple[str, list[str]]:
    """The description without the ledger, and the ledger's ids."""
    match = LEDGER.search(description)
    if match is None:
        return description, []
    return description[: match.start()].rstrip(), match.group(1).split()


def with_ledger(description: str, ids: list[str]) -> str:
    if not ids:
        return description
    line = "holiday overrides by opskit: " + " ".join(sorted(set(ids)))
    return f"{description}\n\n{line}" if description else line


def derive(
    rotation: Rotation, layers: list[dict[str, Any]], now: dt.datetime
) -> tuple[list[Derived], list[Warning]]:
    """Overrides for the holidays of [now, now + HORIZON), from the PagerDuty layers as they
    will be sent (users by email, lowest first), and what no override can fix."""
    lo, hi = zones.from_datetime(now), zones.from_datetime(now + HORIZON)
    days = rotation_holidays([rotation], lo, hi)
    if not days:
        return [], []
    # compared by the policy's names; the layers as sent name people by email
    email = {p.name: p.email.lower() for p in rotation.people}
    email.update((o.person.name, o.person.email.lower()) for o in rotation.overrides)
    name = {e: n for n, e in email.items()}
    said = [(s.start, s.end, s.person) for s in render.render(rotation, lo, hi)]
    paged = [
        render.Shift(a, b, name.get(who, who), "")
        for a, b, who in final.render(layers, rotation.timezone, lo, hi)
    ]
    levels = [*render.override_levels(rotation, lo, hi), paged]
    pagerduty = [(s.start, s.end, s.person) for s in render.stack(levels)]
    found: list[Derived] = []
    unmet: list[tuple[int, int, list[str]]] = []  # stretches where only nobody would be right
    for start, end, was, will in final.differences(pagerduty, said):
        for a, b in intersect([(start, end)], days):
            if will:
                at = (utc_text(zones.to_datetime(a)), utc_text(zones.to_datetime(b)))
                found.append((email.get(will, will), *at))
            elif unmet and unmet[-1][1] == a:
                unmet[-1] = (unmet[-1][0], b, [*unmet[-1][2], was])
            else:
                unmet.append((a, b, [was]))
    warnings = [
        Warning(
            f"rotation {rotation.name!r}: {_local(a, rotation.timezone)} to "
            f"{_local(b, rotation.timezone)[11:]} is a holiday with nobody on call in the policy, "
            f"but PagerDuty pages {', then '.join(dict.fromkeys(who))}: an override cannot page nobody",
            rotation.source.position,
        )
        for a, b, who in unmet
    ]
    return found, warnings


def _local(t: int, timezone: str) -> str:
    return zones.to_datetime(t).astimezone(zones.zone(timezone)).strftime("%Y-%m-%d %H:%M")


def claim(wanted: list[Desired], current: list[Live]) -> tuple[list[Desired], list[Live]]:
    """Overrides in a schedule's ledger are opskit's: managed, and removed without --prune
    when no longer derived. A schedule's live `holiday_overrides` are the ledger's overrides
    that still exist; those about to go stay listed until the next update of the schedule."""
    ledgers = {
        obj.key: set(obj.extra.get("ledger") or [])
        for obj in current
        if obj.type == "schedule" and obj.managed
    }
    if not any(ledgers.values()):
        return wanted, current
    existing: dict[str, set[str]] = {}
    claimed: list[Live] = []
    for obj in current:
        schedule = obj.key.split(":", 1)[0]
        if obj.type == "override" and ledger_id(obj.key) in ledgers.get(schedule, set()):
            existing.setdefault(schedule, set()).add(ledger_id(obj.key))
            obj = replace(obj, managed=True, extra={**obj.extra, "derived": True})
        claimed.append(obj)
    claimed = [
        replace(obj, fields={**obj.fields, "holiday_overrides": sorted(existing[obj.key])})
        if obj.type == "schedule" and obj.managed and existing.get(obj.key)
        else obj
        for obj in claimed
    ]
    out = []
    for want in wanted:
        going = existing.get(want.key, set()) - set(want.fields.get("holiday_overrides", []))
        if want.type == "schedule" and going:
            want = replace(want, extra={**want.extra, "ledger_keep": sorted(going)})
        out.append(want)
    return out, claimed
