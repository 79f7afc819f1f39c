"""What is promised: priorities, the SLA tiers that set targets for them, and the
customers who are sold a tier."""

from __future__ import annotations

from typing import Any

from opskit.policy import model as m
from opskit.policy.builders.base import Builder
from opskit.policy.values import parse_date, parse_percent


def build_priority(b: Builder, s: m.Source) -> m.Priority:
    d = s.data
    return m.Priority(
        d["name"], d["level"], d["title"], d["urgency"], d.get("examples", []), d.get("color"),
        d.get("jira_name", d["name"]), d.get("description", ""), s,
    )  # fmt: skip


def build_tier(b: Builder, s: m.Source) -> m.SlaTier | None:
    d = s.data
    calendar = b.calendar(d["calendar"], s, "calendar")
    targets: dict[str, m.Targets] = {}
    for name, spec in d["targets"].items():
        b.ref(b.policy.priorities, "Priority", name, s, "targets", name)
        first = b.duration(spec, "first_response", s, "targets", name)
        resolution = b.duration(spec, "resolution", s, "targets", name)
        update = b.duration(spec, "next_update", s, "targets", name)
        goal = _goal(b, spec, s, "targets", name)
        if first is not None and resolution is not None:
            targets[name] = m.Targets(first, resolution, update, goal)
    if calendar is None:
        return None
    return m.SlaTier(
        d["name"], calendar, targets, d.get("at_risk_percent", 75), d.get("pause_statuses", []),
        d.get("retired", False), d.get("description", ""), s,
        first_response_statuses=d.get("first_response_statuses", []),
        priority_change=d.get("priority_change", "retarget"),
        enforce={state: _enforcement(spec) for state, spec in d.get("enforce", {}).items()},
        review=_review(d.get("review", {})),
        capacity=_capacity(b, s),
    )  # fmt: skip


def _goal(b: Builder, spec: dict[str, Any], s: m.Source, *path: str) -> float | None:
    if "attainment" not in spec:
        return None
    goal = b.value(parse_percent, "percent-invalid", spec["attainment"], s, *path, "attainment")
    if goal is not None and not 0 < goal < 1:
        b.diagnostics.add(s.at(*path, "attainment"), "percent-invalid",
                          "an attainment goal must be above 0% and below 100%")  # fmt: skip
        return None
    return goal


def _capacity(b: Builder, s: m.Source) -> m.TierCapacity | None:
    spec = s.data.get("capacity")
    if spec is None:
        return None
    for i, name in enumerate(spec["desk"]):  # rotations are built later: check the name only
        if name not in b.known.get("Rotation", ()):
            b.ref({}, "Rotation", name, s, "capacity", "desk", i)
    return m.TierCapacity(
        tuple(spec["desk"]), b.duration(spec, "handle_time", s, "capacity", at_least_seconds=1),
        _goal(b, spec, s, "capacity"),
    )  # fmt: skip


def _review(spec: dict[str, Any]) -> m.ReviewPolicy:
    """Thresholds the tier sets over the defaults; `false` switches a signal off."""
    given = spec.get("signals", {})
    signals = {
        name: defaults | given.get(name, {})
        for name, defaults in m.SIGNAL_DEFAULTS.items()
        if given.get(name, {}) is not False
    }
    return m.ReviewPolicy(spec.get("availability_percent"), signals)


def _enforcement(spec: dict[str, Any]) -> m.Enforcement:
    """From a document that passed its schema: every key has its type."""
    comment = spec.get("comment")
    return m.Enforcement(
        m.EnforceComment(comment["text"], comment.get("public", False)) if comment else None,
        spec.get("label"),
        bool(spec.get("raise_priority", False)),
        bool(spec.get("notify_on_call", False)),
        bool(spec.get("page", False)),
    )


def build_customer(b: Builder, s: m.Source) -> m.Customer | None:
    d = s.data
    tier = b.ref(b.policy.tiers, "SlaTier", d["tier"], s, "tier")
    services = b.refs(b.policy.services, "Service", d.get("services", []), s, "services")
    contacts = [
        m.Contact(c["email"], c.get("name", ""), c.get("role", "")) for c in d.get("contacts", [])
    ]
    contract = d.get("contract", {})
    for key in ("start", "end"):
        if key in contract:
            b.value(parse_date, "date-invalid", contract[key], s, "contract", key)
    if tier is None:
        return None
    display = d.get("display_name", d["name"])
    return m.Customer(
        d["name"], display, tier, d.get("organization", display), contacts, contract,
        services or list(b.policy.services.values()), s,
    )  # fmt: skip
