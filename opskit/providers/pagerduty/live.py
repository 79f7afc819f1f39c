"""Read PagerDuty in bulk (100 a page, nested objects included) and normalise it."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from opskit.providers.pagerduty import holidays
from opskit.providers.pagerduty.client import Api
from opskit.providers.pagerduty.desired import layer_fields, override_key, ref_order
from opskit.providers.pagerduty.times import normalised, utc_text
from opskit.sync.ownership import owner, strip_marker
from opskit.sync.resources import Live, make_ref

Names = dict[str, dict[str, str]]
EVENTS_API_V2 = "events_api_v2_inbound_integration"  # type -> remote id -> key


def read(api: Api, workspace: str, *, now: dt.datetime | None = None) -> list[Live]:
    now = now or dt.datetime.now(dt.UTC)
    names: Names = {"user": {}, "team": {}, "schedule": {}, "escalation_policy": {}}
    found: list[Live] = []
    # The overrides sub-schedule tells, in the same bulk read, which schedules have
    # upcoming overrides at all; only those are read override by override.
    window = {"since": utc_text(now), "until": utc_text(now + dt.timedelta(days=366))}
    lists: dict[str, tuple[str, dict[str, Any]]] = {
        "users": ("/users", {"include[]": ["contact_methods", "notification_rules"]}),
        "teams": ("/teams", {}),
        "schedules": (
            "/schedules",
            {"include[]": ["schedule_layers", "overrides_subschedule"], **window},
        ),
        "policies": ("/escalation_policies", {}),
        "services": ("/services", {}),
    }

    # Each type is paged in order, the types side by side: against a remote service the
    # reads wait on the network, and the limiter paces them all together.
    def fetch(path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return list(api.pages(path, params))

    with ThreadPoolExecutor(max_workers=len(lists)) as pool:
        futures = {name: pool.submit(fetch, path, params) for name, (path, params) in lists.items()}
        read = {name: future.result() for name, future in futures.items()}
    teams, schedules, policies = read["teams"], read["schedules"], read["policies"]
    for user in read["users"]:
        email = str(user.get("email", "")).lower()
        names["user"][user["id"]] = email
        found.append(
            Live("user", email, user["id"], {}, managed=False, extra={"wakeable": wakeable(user)})
        )
    for kind, items in (("team", teams), ("schedule", schedules), ("escalation_policy", policies)):
        names[kind] = {item["id"]: item["name"] for item in items}
    ours = [team for team in teams if owner(team.get("description")) == workspace]
    found += [Live("team", t["name"], t["id"], _team(t), t in ours) for t in teams]
    # one member list per team (the API has no bulk read of roles): side by side
    with ThreadPoolExecutor(max_workers=8) as pool:
        for members in pool.map(lambda team: _members(api, team, names), ours):
            found += members
    for schedule in schedules:
        mark = _mark(schedule, "schedule", _schedule(schedule, names, now), workspace)
        # the layers as read, ended ones too: the plan renders who they page (see paging);
        # and the holiday overrides opskit made for it (see holidays)
        _, ledger = holidays.read_ledger(strip_marker(schedule.get("description")))
        extra = {"layers": schedule.get("schedule_layers", []), "ledger": ledger}
        found.append(Live(mark.type, mark.key, mark.id, mark.fields, mark.managed, extra))
    for schedule in schedules:
        upcoming = (schedule.get("overrides_subschedule") or {}).get("rendered_schedule_entries")
        if upcoming and owner(schedule.get("description")) == workspace:
            found += _overrides(api, schedule, names, now)
    found += [_mark(p, "escalation_policy", _policy(p, names), workspace) for p in policies]
    found += [_mark(s, "service", _service(s, names), workspace) for s in read["services"]]
    return found


# Contact methods that can wake someone at 3 a.m.; email cannot.
WAKING = {"phone_contact_method", "sms_contact_method", "push_notification_contact_method"}


def wakeable(user: dict[str, Any]) -> bool:
    """Has a high-urgency notification rule that rings, texts or pushes."""
    for rule in user.get("notification_rules", []):
        method = str((rule.get("contact_method") or {}).get("type", "")).removesuffix("_reference")
        if rule.get("urgency") == "high" and method in WAKING:
            return True
    return False


def _mark(item: dict[str, Any], kind: str, fields: dict[str, Any], workspace: str) -> Live:
    return Live(kind, item["name"], item["id"], fields, owner(item.get("description")) == workspace)


def _ref(names: Names, kind: str, remote_id: str) -> Any:
    key = names.get(kind, {}).get(remote_id)
    return make_ref(kind, key) if key is not None else {"id": remote_id}


def _team(team: dict[str, Any]) -> dict[str, Any]:
    return {"name": team["name"], "description": strip_marker(team.get("description"))}


def _members(api: Api, team: dict[str, Any], names: Names) -> list[Live]:
    out = []
    for member in api.pages(f"/teams/{team['id']}/members"):
        user_id = member["user"]["id"]
        email = names["user"].get(user_id, user_id)
        key = f"{team['name']}/{email}"
        out.append(
            Live("membership", key, f"{team['id']}/{user_id}", {"role": member.get("role")}, True)
        )
    return out


def _overrides(api: Api, schedule: dict[str, Any], names: Names, now: dt.datetime) -> list[Live]:
    """Upcoming overrides; whether one is ours is known only against the policies (see provider)."""
    window = {"since": utc_text(now), "until": utc_text(now + dt.timedelta(days=366))}
    out = []
    for item in api.pages(f"/schedules/{schedule['id']}/overrides", window):
        email = names["user"].get(item["user"]["id"], item["user"]["id"])
        start, end = normalised(item["start"]), normalised(item["end"])
        key = override_key(schedule["name"], email, start, end)
        fields = {"user": _ref(names, "user", item["user"]["id"]), "start": start, "end": end}
        out.append(Live("override", key, f"{schedule['id']}/{item['id']}", fields, managed=False))
    return out


def _active(layer: dict[str, Any], now: dt.datetime) -> bool:
    """Open-ended layers are the schedule; ones with an end are past or handing over."""
    return not layer.get("end")


def _schedule(schedule: dict[str, Any], names: Names, now: dt.datetime) -> dict[str, Any]:
    # PagerDuty lists layers newest first and keeps ended ones: compare the live ones in our order.
    layers = []
    for layer in reversed(schedule.get("schedule_layers", [])):
        if not _active(layer, now):
            continue
        fields = layer_fields(layer)
        fields["rotation_virtual_start"] = normalised(fields["rotation_virtual_start"])
        fields["users"] = [_ref(names, "user", uid) for uid in fields["users"]]
        layers.append(fields)
    return {
        "name": schedule["name"],
        "time_zone": schedule.get("time_zone"),
        "description": holidays.read_ledger(strip_marker(schedule.get("description")))[0],
        "layers": layers,
    }


def _policy(policy: dict[str, Any], names: Names) -> dict[str, Any]:
    rules = []
    for rule in policy.get("escalation_rules", []):
        targets = [
            _ref(names, t["type"].removesuffix("_reference"), t["id"])
            for t in rule.get("targets", [])
        ]
        rules.append(
            {
                "delay": rule["escalation_delay_in_minutes"],
                "targets": sorted(targets, key=ref_order),
            }
        )
    return {
        "name": policy["name"],
        "description": strip_marker(policy.get("description")),
        "num_loops": policy.get("num_loops", 0),
        "rules": rules,
        "teams": [_ref(names, "team", t["id"]) for t in policy.get("teams", [])],
    }


def _service(service: dict[str, Any], names: Names) -> dict[str, Any]:
    rule = service.get("incident_urgency_rule") or {"type": "constant", "urgency": "high"}
    if rule.get("type") == "use_support_hours":
        urgency: dict[str, Any] = {
            "type": "use_support_hours",
            "during": rule.get("during_support_hours", {}).get("urgency"),
            "outside": rule.get("outside_support_hours", {}).get("urgency"),
        }
    else:
        urgency = {"type": "constant", "urgency": rule.get("urgency")}
    hours = service.get("support_hours")
    return {
        "name": service["name"],
        "description": strip_marker(service.get("description")),
        "escalation_policy": _ref(names, "escalation_policy", service["escalation_policy"]["id"]),
        "acknowledgement_timeout": service.get("acknowledgement_timeout"),
        "auto_resolve_timeout": service.get("auto_resolve_timeout"),
        "urgency": urgency,
        "support_hours": None
        if not hours
        else {k: hours.get(k) for k in ("time_zone", "days_of_week", "start_time", "end_time")},
        "events_api_v2": has_events_api_v2(service),
    }


def has_events_api_v2(service: dict[str, Any]) -> bool:
    """Whether alerts can reach the service through an Events API v2 key; the references
    the list carries name each integration's type, so no further read is needed."""
    kinds = {
        str(i.get("type", "")).removesuffix("_reference") for i in service.get("integrations") or []
    }
    return EVENTS_API_V2 in kinds
