"""Services, which tie a team, a ladder and a tier together, and the documents written
against them: playbooks and policy tests."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from opskit.policy import model as m
from opskit.policy.builders.base import Builder
from opskit.policy.values import parse_datetime, zone


def build_service(b: Builder, s: m.Source) -> m.Service | None:
    d, p = s.data, b.policy
    team = b.ref(p.teams, "Team", d["team"], s, "team")
    ladder = b.ref(p.ladders, "EscalationLadder", d["ladder"], s, "ladder")
    tier = b.ref(p.tiers, "SlaTier", d["tier"], s, "tier")
    hours = b.calendar(d["support_hours"], s, "support_hours") if "support_hours" in d else None
    names = d.get("priorities")
    priorities = (
        b.refs(p.priorities, "Priority", names, s, "priorities")
        if names
        else list(p.priorities.values())
    )
    ack, auto = b.duration(d, "acknowledge_timeout", s), b.duration(d, "auto_resolve_timeout", s)
    if team is None or ladder is None or tier is None:
        return None
    return m.Service(
        d["name"], team, ladder, tier, hours or tier.calendar, priorities, d.get("jira_component", d["name"]),
        d.get("urgency", "high"), ack, auto, d.get("description", ""), s,
    )  # fmt: skip


def _templated(value: object) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def _leaves_repository(folder: str) -> bool:
    """A `cwd` that is absolute or climbs out with `..` (judged on the text, as written)."""
    path = PurePosixPath(folder.replace("\\", "/"))
    depth = 0
    for part in path.parts:
        if part == "..":
            depth -= 1
        elif part not in (".", "/"):
            depth += 1
        if depth < 0:
            return True
    return path.is_absolute() or PureWindowsPath(folder).drive != ""


def build_playbook(b: Builder, s: m.Source) -> m.Playbook:
    d = s.data
    services = b.refs(b.policy.services, "Service", d.get("services", []), s, "services")
    priorities = b.refs(b.policy.priorities, "Priority", d.get("priorities", []), s, "priorities")
    inputs: dict[str, dict[str, Any]] = d.get("inputs", {})
    for name, spec in inputs.items():
        default, kind = spec.get("default"), spec.get("kind", "text")
        if default and kind == "service":
            b.ref(b.policy.services, "Service", default, s, "inputs", name, "default")
        elif default and kind == "customer":
            b.ref(b.policy.customers, "Customer", default, s, "inputs", name, "default")
    for i, step in enumerate(d["steps"]):
        for key in ("timeout", "duration"):
            if key in step:
                b.duration(step, key, s, "steps", i)
        if "service" in step and not _templated(step["service"]):
            b.ref(b.policy.services, "Service", step["service"], s, "steps", i, "service")
        cwd = step.get("cwd")
        if isinstance(cwd, str) and not _templated(cwd) and _leaves_repository(cwd):
            b.diagnostics.add(
                s.at("steps", i, "cwd"),
                "path-outside-repository",
                f"step {step['id']!r}: cwd {cwd!r} leaves the repository; name a folder inside "
                "it, relative to its root",
            )
    return m.Playbook(
        d["name"], d.get("title", d["name"]), services, priorities, d["steps"], s,
        inputs, list(d.get("requires", [])),
    )  # fmt: skip


def build_policy_test(b: Builder, s: m.Source) -> m.PolicyTest | None:
    d, p, scenario = s.data, b.policy, s.data["scenario"]
    service = b.ref(p.services, "Service", scenario["service"], s, "scenario", "service")
    priority = b.ref(p.priorities, "Priority", scenario["priority"], s, "scenario", "priority")
    name = scenario.get("customer")
    customer = b.ref(p.customers, "Customer", name, s, "scenario", "customer") if name else None
    timezone = scenario.get("timezone", "UTC")
    valid_zone = b.timezone(timezone, s, "scenario", "timezone")
    at = b.value(parse_datetime, "date-invalid", scenario["at"], s, "scenario", "at")
    if "first_response_due" in d["expect"]:
        due = d["expect"]["first_response_due"]
        b.value(parse_datetime, "date-invalid", due, s, "expect", "first_response_due")
    for i, item in enumerate(d["expect"].get("paged", [])):
        b.duration(item, "after", s, "expect", "paged", i)
        b.refs(p.people, "Person", item["people"], s, "expect", "paged", i, "people")
    if (
        service is None
        or priority is None
        or at is None
        or not valid_zone
        or (name and not customer)
    ):
        return None
    return m.PolicyTest(
        d["name"], service, priority, customer, at.replace(tzinfo=zone(timezone)), timezone,
        d["expect"], d.get("description", ""), s,
    )  # fmt: skip
