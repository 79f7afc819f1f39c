"""Who a schedule PUT would page, against who is paged now, over the plan's horizon.

Layers are compared field by field, but two sets of layers that compare equal can
still page differently (precedence, a handing-over layer), and a member change pages
the new order only from its handoff. So the plan also renders the final schedule both
ways and shows a `paged` change wherever applying would change who is paged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from opskit.providers.pagerduty import final, layers, rosters
from opskit.sync.resources import Desired, Live, Warning
from opskit.time import zones

HORIZON = dt.timedelta(weeks=13)
SHOWN = 4  # turns spelt out in the plan; the rest are counted


def with_paging(
    wanted: list[Desired],
    current: list[Live],
    people: dict[str, str],
    *,
    now: dt.datetime | None = None,
) -> tuple[list[Desired], list[Live], list[Warning]]:
    """Both sides with a `paged` field on each schedule whose PUT would change who is paged,
    and what a reviewer should know of member changes. `people`: email -> policy name."""
    now = now or dt.datetime.now(dt.UTC)
    ids = {obj.key: obj.id for obj in current if obj.type == "user"}
    emails = {remote_id: email for email, remote_id in ids.items()}
    live = {obj.key: obj for obj in current if obj.type == "schedule" and obj.managed}
    names = {remote_id: people.get(email, email) for remote_id, email in emails.items()}
    changed: dict[str, tuple[str, str]] = {}
    warnings: list[Warning] = []
    for want in wanted:
        have = live.get(want.key) if want.type == "schedule" else None
        if have is None or "layers" not in have.extra:
            continue
        shown = _compare(want, have, ids, emails, now)
        if shown is not None:
            changed[want.key] = shown
            warnings += rosters.notes(want, have.extra["layers"], ids, names, now)
    if not changed:
        return wanted, current, warnings
    wanted = [
        replace(w, fields={**w.fields, "paged": changed[w.key][1]})
        if w.type == "schedule" and w.key in changed
        else w
        for w in wanted
    ]
    current = [
        replace(c, fields={**c.fields, "paged": changed[c.key][0]})
        if c.type == "schedule" and c.managed and c.key in changed
        else c
        for c in current
    ]
    return wanted, current, warnings


def _compare(
    want: Desired, have: Live, ids: dict[str, str], emails: dict[str, str], now: dt.datetime
) -> tuple[str, str] | None:
    def user_id(ref: Any) -> str:
        return ids.get(rosters.email_of(ref), f"new user {rosters.email_of(ref)}")

    read: list[dict[str, Any]] = have.extra["layers"]  # highest first, as PagerDuty answers
    zone = str(want.fields["time_zone"])
    zone_now = str(have.fields.get("time_zone") or zone)
    # as the writer does: handoffs on the schedule's clock as it is, rendered on the new one
    sent = layers.arrange(
        read,
        layers.payload(want.fields["layers"], want.extra.get("starts", []), user_id),
        ZoneInfo(zone_now),
        now,
    )
    lo = zones.from_datetime(now)
    hi = zones.from_datetime(now + HORIZON)
    before = final.render(list(reversed(read)), zone_now, lo, hi)
    after = final.render(sent, zone, lo, hi)
    stretches = final.differences(before, after)
    if not stretches:
        return None
    return _describe(stretches, emails, 2), _describe(stretches, emails, 3)


def _describe(stretches: list[tuple[int, int, str, str]], emails: dict[str, str], side: int) -> str:
    """Who one side pages where the two differ, as runs of one person: "from 12-07 07:00Z:
    priya until 12-11 14:00Z, zofia until 12-18 14:00Z, ..." """
    runs: list[tuple[str, int]] = []
    for stretch in stretches:
        who = str(stretch[side])
        if runs and runs[-1][0] == who:
            runs[-1] = (who, stretch[1])
        else:
            runs.append((who, stretch[1]))
    shown = [f"{emails.get(who, who) or 'nobody'} until {_when(end)}" for who, end in runs[:SHOWN]]
    more = f", and {len(runs) - SHOWN} more" if len(runs) > SHOWN else ""
    return f"from {_when(stretches[0][0])}: " + ", ".join(shown) + more


def _when(t: int) -> str:
    return zones.to_datetime(t).strftime("%Y-%m-%d %H:%MZ")
