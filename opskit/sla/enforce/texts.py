"""The words enforce writes: placeholder values, the on-call note, the page's summary."""

from __future__ import annotations

from opskit.policy.model import Person, Service
from opskit.sla.model import Clock, State, Ticket
from opskit.sla.text import span

HUMAN = {"first_response": "first response", "next_update": "next update",
         "resolution": "resolution", "at_risk": "at risk", "breached": "breached"}  # fmt: skip
QUOTE_CHARS = 60


def values(ticket: Ticket, clock: Clock) -> dict[str, str]:
    """What {key} {metric} {state} {priority} {tier} {deadline} {remaining} stand for."""
    deadline = clock.deadline.strftime("%Y-%m-%d %H:%M UTC") if clock.deadline else "paused"
    return {
        "key": ticket.key,
        "metric": HUMAN[clock.metric.value],
        "state": HUMAN[clock.state.value],
        "priority": ticket.priority,
        "tier": ticket.tier,
        "deadline": deadline,
        "remaining": span(clock.remaining),  # business time, negative once breached
    }


def quote(text: str) -> str:
    line = " ".join(text.split())
    return repr(line if len(line) <= QUOTE_CHARS else line[: QUOTE_CHARS - 1] + "…")


def mention(person: Person, account: str | None) -> str:
    """A Jira mention (wiki markup) or, for someone Jira does not know, their name."""
    return f"[~accountid:{account}]" if account else f"{person.full_name} ({person.email})"


def notify_text(mentions: list[str], service: Service, v: dict[str, str]) -> str:
    who = ", ".join(mentions)
    return (f"{who}: you are on call for {service.name} (ladder {service.ladder.name}, "
            f"step 1). The {v['metric']} of {v['key']} ({v['tier']} {v['priority']}) is "
            f"{v['state']}: due {v['deadline']}, {v['remaining']} of business time left.")  # fmt: skip


def page_summary(v: dict[str, str]) -> str:
    return (f"SLA {v['state']}: {v['key']} {v['metric']} ({v['tier']} {v['priority']}), "
            f"due {v['deadline']}")  # fmt: skip


def severity(clock: Clock) -> str:
    return "critical" if clock.state is State.BREACHED else "warning"
