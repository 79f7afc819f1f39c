"""Has JSM's hand-set SLA configuration drifted from the policies?

JSM lets nobody read SLA goals, only each request's cycles. So we read the
cycles of recent tickets and compare each cycle's goal with the target the
policies give that ticket's tier and priority: a goal of 8h where the tier
says 4h is drift, and so is a metric the policies want that Jira never reports.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from opskit.policy.model import Policy, SlaTier
from opskit.providers.jira.client import Api
from opskit.providers.jira.settings import Settings
from opskit.providers.jira.sla_goals import METRICS, Goal, goals, hours, hours_text
from opskit.sync.diff import Action, Change, FieldChange
from opskit.sync.resources import Warning

SAMPLE = 50  # recent tickets: enough to meet every common tier and priority


def check(api: Api, policy: Policy, settings: Settings) -> tuple[list[Change], list[Warning]]:
    if not settings.service_desk:
        return [], []
    by_key = {(g.metric, g.tier.name, g.priority): g for g in goals(policy, settings.tier_field)}
    fields = {f.get("name"): str(f["id"]) for f in api.call("GET", "/field")}
    tier_id, org_id = fields.get(settings.tier_field), fields.get("Organizations")
    jql = f'project = "{settings.service_desk}" ORDER BY created DESC'
    wanted_fields = ["priority", *(f for f in (tier_id, org_id) if f)]
    body = {"jql": jql, "maxResults": SAMPLE, "fields": wanted_fields}
    issues = api.call("POST", "/search/jql", json=body, idempotent=True).get("issues", [])
    seen: dict[tuple[str, str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    reported: set[str] = set()
    skipped = 0
    for issue in issues:
        tier = _tier(issue["fields"], policy, tier_id, org_id)
        priority = _priority(issue["fields"], policy)
        if tier is None or priority is None:
            skipped += 1
            continue
        path = f"/rest/servicedeskapi/request/{issue['key']}/sla"
        for metric in api.jsm_pages(path):
            reported.add(metric["name"])
            for cycle in [*metric.get("completedCycles", []), metric.get("ongoingCycle")]:
                if cycle and "goalDuration" in cycle:
                    millis = int(cycle["goalDuration"]["millis"])
                    seen[(metric["name"], tier.name, priority)][
                        hours_text(millis / 3_600_000)
                    ].append(issue["key"])
    changes = [
        c for key, goal in by_key.items() if (c := _compare(goal, seen.get(key))) is not None
    ]
    changes += _missing_metrics(by_key.values(), reported, bool(issues) and skipped < len(issues))
    note = f"SLA goals compared on {len(issues) - skipped} recent {settings.service_desk} tickets"
    if skipped:
        note += f"; {skipped} skipped (priority or tier not in the policies)"
    if changes:
        note += "; JSM takes SLA settings by hand only: see 'opskit jira sla-config'"
    return changes, [Warning(note, "opskit.yaml")]


def _compare(goal: Goal, found: dict[str, list[str]] | None) -> Change | None:
    value = hours(goal)
    if found is None or value is None:
        return None
    expected = hours_text(value)
    wrong = {text: keys for text, keys in found.items() if text != expected}
    if not wrong:
        return None
    before = ", ".join(
        f"{text} (e.g. {keys[0]}, {len(keys)} cycles)" for text, keys in sorted(wrong.items())
    )
    key = f"{goal.metric} / {goal.tier.name} / {goal.priority}"
    source = _target_position(goal)
    return Change(
        Action.UPDATE,
        "sla_goal",
        key,
        None,
        {"goal": expected},
        (FieldChange("goal", before, expected),),
        {},
        source,
    )


def _missing_metrics(wanted: Any, reported: set[str], any_read: bool) -> list[Change]:
    if not any_read:
        return []
    out = []
    for metric in METRICS:
        wants = [g for g in wanted if g.metric == metric]
        if wants and metric not in reported:
            source = _target_position(wants[0])
            out.append(
                Change(
                    Action.UPDATE,
                    "sla_metric",
                    metric,
                    None,
                    {"configured": True},
                    (FieldChange("configured", False, True),),
                    {},
                    source,
                )
            )
    return out


def _target_position(goal: Goal) -> str:
    return str(goal.tier.source.at("targets", goal.policy_priority, METRICS[goal.metric]))


def _tier(
    fields: dict[str, Any], policy: Policy, tier_id: str | None, org_id: str | None
) -> SlaTier | None:
    value = fields.get(tier_id) if tier_id else None
    if isinstance(value, dict) and value.get("value") in policy.tiers:
        return policy.tiers[value["value"]]
    by_org = {c.organization: c.tier for c in policy.customers.values()}
    for org in (fields.get(org_id) if org_id else None) or []:
        if isinstance(org, dict) and org.get("name") in by_org:
            return by_org[org["name"]]
    return None


def _priority(fields: dict[str, Any], policy: Policy) -> str | None:
    """The ticket's priority as Jira names it, if the policies name it (by jira_name or name)."""
    name = (fields.get("priority") or {}).get("name")
    for priority in policy.priorities.values():
        if name in (priority.jira_name, priority.name):
            return priority.jira_name
    return None
