"""A run's postmortem document from its journal, the policy (when it loads) and, unless
offline, what PagerDuty and Jira recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from opskit.playbooks.postmortem import remote
from opskit.playbooks.postmortem.clock import Clock, zone_for
from opskit.playbooks.postmortem.document import build
from opskit.playbooks.postmortem.fold import fold


def compose(
    run_id: str, events: list[dict[str, Any]], policy: Any, zone_name: str | None = None,
    *, offline: bool = False, now: dt.datetime | None = None,
) -> dict[str, Any]:  # fmt: skip
    first = events[0] if events else {}
    planned: list[str] | None = None
    if policy is not None and first.get("playbook") in policy.playbooks:
        planned = [str(step["id"]) for step in policy.playbooks[first["playbook"]].steps]
    found = None
    if not offline:
        steps = list(fold(events, Clock("UTC")).steps.values())
        raw = first.get("inputs")
        inputs: dict[str, Any] = raw if isinstance(raw, dict) else {}
        at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        found = remote.read(steps, inputs, policy, at)
    return build(run_id, events, zone_name or zone_for(events, policy), planned, found)
