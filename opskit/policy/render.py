"""Rich renderables describing a policy set for people."""

from __future__ import annotations

from rich.table import Table

from opskit.policy.model import EscalationLadder, Layer, Policy
from opskit.policy.values import WEEKDAYS, format_minutes


def render_summary(policy: Policy) -> list[Table]:
    return [_tiers(policy), _ladders(policy), _rotations(policy), _services(policy)]


def _tiers(policy: Policy) -> Table:
    priorities = sorted(policy.priorities.values(), key=lambda p: p.level)
    table = Table(title="SLA tiers", title_justify="left")
    for column in (
        "tier",
        "calendar",
        "customers",
        "priority",
        "first response",
        "next update",
        "resolution",
    ):
        table.add_column(column, style="bold" if column == "tier" else None)
    for tier in policy.tiers.values():
        customers = str(sum(1 for c in policy.customers.values() if c.tier is tier))
        head = [tier.name + (" (retired)" if tier.retired else ""), tier.calendar.name, customers]
        for priority in priorities:
            t = tier.targets.get(priority.name)
            if t is None:
                continue
            label = f"{priority.name} {priority.title}"
            table.add_row(
                *head, label, str(t.first_response), str(t.next_update or "-"), str(t.resolution)
            )
            head = ["", "", ""]
        table.add_section()
    return table


def _step_text(ladder: EscalationLadder) -> str:
    lines = []
    for number, step in enumerate(ladder.steps, 1):
        targets = [f"rotation {r.name}" for r in step.rotations] + [p.name for p in step.people]
        lines.append(f"{number}. {', '.join(targets)}  → after {step.escalate_after}")
    return "\n".join(lines)


def _ladders(policy: Policy) -> Table:
    table = Table(title="Escalation ladders", title_justify="left")
    for column in ("ladder", "steps", "repeat", "people", "services"):
        table.add_column(column, style="bold" if column == "ladder" else None)
    for ladder in policy.ladders.values():
        services = ", ".join(s.name for s in policy.services_of(ladder)) or "-"
        table.add_row(
            ladder.name,
            _step_text(ladder),
            str(ladder.repeat),
            str(len(ladder.reachable())),
            services,
        )
    return table


def _layer_text(layer: Layer) -> str:
    when = []
    for r in layer.restrictions:
        if r.calendar is not None:
            when.append(f"{r.calendar.name} hours")
        elif r.window is not None:
            days = "" if len(r.days) == 7 else " " + ",".join(WEEKDAYS[d][:3] for d in r.days)
            when.append(f"{format_minutes(r.window[0])}-{format_minutes(r.window[1])}{days}")
    active = f" [{'; '.join(when)}]" if when else ""
    members = ", ".join(p.name for p in layer.members)
    return f"{layer.name}: {members} — {layer.shift} shifts, handoff {format_minutes(layer.handoff)}{active}"


def _rotations(policy: Policy) -> Table:
    table = Table(title="Rotations", title_justify="left")
    for column in ("rotation", "time zone", "layers (later wins)"):
        table.add_column(column, style="bold" if column == "rotation" else None)
    for rotation in policy.rotations.values():
        layers = "\n".join(_layer_text(layer) for layer in rotation.layers)
        table.add_row(rotation.name, rotation.timezone, layers)
    return table


def _services(policy: Policy) -> Table:
    table = Table(title="Services", title_justify="left")
    for column in ("service", "team", "tier", "ladder", "support hours", "urgency"):
        table.add_column(column, style="bold" if column == "service" else None)
    for s in policy.services.values():
        table.add_row(
            s.name, s.team.name, s.tier.name, s.ladder.name, s.support_hours.name, s.urgency
        )
    return table
