"""The policy model as PagerDuty resources, normalised for comparison."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import replace
from typing import Any

from opskit.policy.model import Calendar, EscalationLadder, Person, Policy, Rotation, Service
from opskit.providers.pagerduty import holidays
from opskit.providers.pagerduty.times import utc_text
from opskit.providers.pagerduty_schedule import NO_HOLIDAYS, schedule_payload
from opskit.sync.resources import Desired, Warning, make_ref

# Whoever leads a team manages it in PagerDuty; everyone else responds.
LEAD_ROLE, MEMBER_ROLE = "manager", "responder"


def desired(
    policy: Policy, *, holiday_overrides: bool = False, now: dt.datetime | None = None
) -> tuple[list[Desired], list[Warning]]:
    """`holiday_overrides`: cover each holiday of the horizon with managed overrides."""
    now = now or dt.datetime.now(dt.UTC)
    resources: list[Desired] = []
    warnings: list[Warning] = []
    for team in policy.teams.values():
        text = team.source.data.get("description", "")
        resources.append(
            Desired(
                "team", team.name, {"name": team.name, "description": text}, team.source.position
            )
        )
        leads = {id(p) for p in team.leads}
        for person in team.members:
            role = LEAD_ROLE if id(person) in leads else person.role or MEMBER_ROLE
            extra = {
                "team": make_ref("team", team.name),
                "user": make_ref("user", person.email.lower()),
            }
            key = f"{team.name}/{person.email.lower()}"
            resources.append(
                Desired("membership", key, {"role": role}, team.source.position, extra)
            )
    for rotation in policy.rotations.values():
        schedule = _schedule(rotation, warnings, holidays_covered=holiday_overrides)
        if holiday_overrides:
            derived = _holiday_overrides(rotation, now, warnings)
            ids = [holidays.ledger_id(d.key) for d in derived]
            if ids:
                schedule = replace(schedule, fields={**schedule.fields, "holiday_overrides": sorted(ids)})
            resources += derived
        resources.append(schedule)
        resources += _overrides(rotation)
    resources += [_policy(ladder) for ladder in policy.ladders.values()]
    resources += [_service(service, warnings) for service in policy.services.values()]
    return resources, warnings


# The account role of a user opskit creates: someone who can be on call and respond.
# A Person's `role` is their role in a team (see memberships), not this one.
USER_ROLE = "user"


def users(people: list[Person]) -> list[Desired]:
    """Users to create for people PagerDuty has no user for (only with create_users).

    Keyed by email like the users read from PagerDuty, so references to them from
    schedules, ladders and teams resolve to the created user when applying."""
    out = []
    for person in people:
        fields: dict[str, Any] = {
            "name": person.full_name,
            "email": person.email,
            "time_zone": person.timezone,
            "role": USER_ROLE,
        }
        text = person.source.data.get("description")
        if isinstance(text, str) and text.strip():
            fields["description"] = text.strip()
        out.append(Desired("user", person.email.lower(), fields, person.source.position))
    return out


def layer_fields(layer: dict[str, Any]) -> dict[str, Any]:
    """What of a layer opskit compares: never `start`, which PagerDuty rewrites."""
    return {
        "name": layer.get("name"),
        "rotation_virtual_start": layer["rotation_virtual_start"],
        "rotation_turn_length_seconds": layer["rotation_turn_length_seconds"],
        "users": [u["user"]["id"] for u in layer["users"]],
        "restrictions": sorted(
            (
                {
                    k: r[k]
                    for k in ("type", "start_time_of_day", "duration_seconds", "start_day_of_week")
                    if k in r
                }
                for r in layer.get("restrictions", [])
            ),
            key=lambda r: (
                r.get("start_day_of_week", 0),
                r["start_time_of_day"],
                r["duration_seconds"],
            ),
        ),
    }


def _holiday_overrides(rotation: Rotation, now: dt.datetime, warnings: list[Warning]) -> list[Desired]:
    """Managed overrides for the holidays ahead (see opskit.providers.pagerduty.holidays)."""
    sent, _ = schedule_payload(rotation, lambda person: person.email.lower(), history=True)
    found, problems = holidays.derive(rotation, sent["schedule_layers"], now)
    warnings += problems
    out = []
    for email, start, end in found:
        fields = {"user": make_ref("user", email), "start": start, "end": end}
        out.append(Desired(
            "override", override_key(rotation.name, email, start, end), fields,
            rotation.source.position, {"schedule": make_ref("schedule", rotation.name), "holiday": True},
        ))  # fmt: skip
    return out


def _schedule(rotation: Rotation, warnings: list[Warning], *, holidays_covered: bool) -> Desired:
    payload, problems = schedule_payload(rotation, lambda person: person.email.lower())
    warnings += [
        Warning(f"rotation {rotation.name!r}: {p}", rotation.source.position)
        for p in problems
        if not (holidays_covered and NO_HOLIDAYS in p)
    ]
    warnings += _clock_change_gaps(rotation)
    layers = []
    for layer in payload["schedule_layers"]:
        fields = layer_fields(layer)
        fields["users"] = [make_ref("user", email) for email in fields["users"]]
        layers.append(fields)
    fields = {
        "name": rotation.name,
        "time_zone": rotation.timezone,
        "description": rotation.description,
        "layers": layers,
    }
    starts = [layer["start"] for layer in payload["schedule_layers"]]
    extra = {"starts": starts, "rosters": _rosters(rotation), "earlier": _earlier(rotation)}
    return Desired("schedule", rotation.name, fields, rotation.source.position, extra)


def _earlier(rotation: Rotation) -> list[list[dict[str, Any]]]:
    """Per layer, the layers of its earlier member lists still ahead of a new schedule, so
    that one created before a roster change pages the old list until the change."""
    from opskit.providers.pagerduty_schedule import earlier_layers

    now = utc_text(dt.datetime.now(dt.UTC))
    out = []
    for layer in rotation.layers:
        found = earlier_layers(rotation, layer, lambda person: person.email.lower())
        for item in found:
            item["users"] = [
                {"user": {"id": make_ref("user", u["user"]["id"]), "type": "user_reference"}}
                for u in item["users"]
            ]
        out.append([item for item in found if item["end"] > now])
    return out


def _rosters(rotation: Rotation) -> list[dict[str, Any]]:
    """Per layer, where its members are written and, after a roster change, the list
    dealing since: from when and in which order (the plan shows it while it is ahead)."""
    from opskit.oncall.roster import deals, order_after, turn_seconds
    from opskit.time import zones

    zone = zones.get(rotation.timezone)
    out: list[dict[str, Any]] = []
    for i, layer in enumerate(rotation.layers):
        found: dict[str, Any] = {"members_source": str(rotation.source.at("layers", i, "members"))}
        *_, deal = deals(rotation, layer)
        if deal.since is not None:
            order = order_after(deal, deal.since, turn_seconds(layer.shift))
            where = rotation.source.at("layers", i, "roster_changes", len(layer.roster_changes) - 1)
            found.update(
                since=utc_text(zones.to_datetime(zone.utc(deal.since))),
                order=[p.name for p in order],
                source=str(where),
            )
        out.append(found)
    return out


def _clock_change_gaps(rotation: Rotation) -> list[Warning]:
    """Where PagerDuty will page someone other than a restriction means on a clock-change
    day (validate's restriction-dst-gap), said again in the plan a reviewer reads."""
    from opskit.oncall.dst import restriction_gaps
    from opskit.time import zones

    now = zones.from_datetime(dt.datetime.now(dt.UTC))
    return [
        Warning(
            f"rotation {rotation.name!r}: {gap.message}",
            rotation.source.at("layers", gap.layer, "restrictions", gap.restriction),
        )
        for gap in restriction_gaps(rotation, now, now + 365 * zones.DAY)
    ]


def override_key(schedule: str, email: str, start: str, end: str) -> str:
    """Overrides have no name or description: who and when is their identity."""
    return f"{schedule}:{email}@{start}/{end}"


def _overrides(rotation: Rotation) -> list[Desired]:
    now = dt.datetime.now(dt.UTC)
    out = []
    for override in rotation.overrides:
        if override.end <= now:
            continue  # history: nothing to make
        email = override.person.email.lower()
        start, end = utc_text(override.start), utc_text(override.end)
        fields = {"user": make_ref("user", email), "start": start, "end": end}
        position = rotation.source.at("overrides", override.index)
        key = override_key(rotation.name, email, start, end)
        out.append(
            Desired(
                "override", key, fields, position, {"schedule": make_ref("schedule", rotation.name)}
            )
        )
    return out


def ref_order(target: dict[str, Any]) -> str:
    """One order for escalation targets on both sides: PagerDuty's own order is not ours."""
    return json.dumps(target, sort_keys=True)


def _policy(ladder: EscalationLadder) -> Desired:
    rules = []
    for step in ladder.steps:
        targets = [make_ref("schedule", r.name) for r in step.rotations]
        targets += [make_ref("user", p.email.lower()) for p in step.people]
        rules.append(
            {
                "delay": max(1, round(step.escalate_after.minutes)),
                "targets": sorted(targets, key=ref_order),
            }
        )
    teams = [make_ref("team", ladder.team.name)] if ladder.team else []
    fields = {
        "name": ladder.name,
        "description": ladder.description,
        "num_loops": ladder.repeat,
        "rules": rules,
        "teams": teams,
    }
    return Desired("escalation_policy", ladder.name, fields, ladder.source.position)


def _seconds(duration: Any) -> int | None:
    return None if duration is None else int(duration.seconds)


def _service(service: Service, warnings: list[Warning]) -> Desired:
    fields: dict[str, Any] = {
        "name": service.name,
        "description": service.description,
        "escalation_policy": make_ref("escalation_policy", service.ladder.name),
        "acknowledgement_timeout": _seconds(service.acknowledge_timeout),
        "auto_resolve_timeout": _seconds(service.auto_resolve_timeout),
        "urgency": {"type": "constant", "urgency": "high" if service.urgency == "high" else "low"},
        "support_hours": None,
        # Playbooks and `sla enforce` page a service through its Events API v2 key.
        "events_api_v2": True,
    }
    if service.urgency == "support_hours":
        fields["urgency"] = {"type": "use_support_hours", "during": "high", "outside": "low"}
        fields["support_hours"] = _support_hours(service, service.support_hours, warnings)
    return Desired("service", service.name, fields, service.source.position)


def _support_hours(service: Service, calendar: Calendar, warnings: list[Warning]) -> dict[str, Any]:
    """PagerDuty keeps one window for all support days and knows no holidays: say what it will do."""
    windows = Counter(w for day in calendar.working_hours.values() for w in day)
    days = sorted(d for d, w in calendar.working_hours.items() if w)
    if not windows or calendar.always_open:
        return {
            "time_zone": calendar.timezone,
            "days_of_week": [1, 2, 3, 4, 5, 6, 7],
            "start_time": "00:00:00",
            "end_time": "23:59:00",
        }
    (start, end), _ = windows.most_common(1)[0]
    where = (
        service.source.at("support_hours")
        if "support_hours" in service.source.data
        else service.source.at("urgency")
    )
    if len(windows) > 1:
        warnings.append(Warning(
            f"service {service.name!r}: PagerDuty has one support-hours window; using "
            f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d} on every working day of {calendar.name!r}",
            where,
        ))  # fmt: skip
    if calendar.holiday_country or calendar.extra_holidays:
        warnings.append(Warning(
            f"service {service.name!r}: PagerDuty support hours have no holidays; incidents on "
            f"the holidays of calendar {calendar.name!r} will be high urgency",
            where,
        ))  # fmt: skip
    end = min(end, 1439)
    return {
        "time_zone": calendar.timezone,
        "days_of_week": [d + 1 for d in days],
        "start_time": f"{start // 60:02d}:{start % 60:02d}:00",
        "end_time": f"{end // 60:02d}:{end % 60:02d}:00",
    }
