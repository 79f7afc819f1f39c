"""The life of one ticket of the seeded year (``seed_year``): who answers it and when.

Agents work the shift that covers the ticket's creation: those of ``seed_data.PEOPLE``
whose local clock is in working hours (08-18 on a weekday) then, else whoever is awake
(08-20 local, any day: Singapore and Sydney cover the European and American night). An
agent replies (``FIRST_REPLY`` minutes, by priority), moves the ticket to In Progress,
sometimes waits for the customer (``WAITING``), then replies with the fix and resolves it
(``RESOLVE`` hours after starting). A ticket that would still be open at the anchor is
compressed in time so that it is resolved a minute before it.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opskit.sandbox.seed_data import DOMAIN, PEOPLE, SUBJECTS
from opskit.sandbox.seed_tickets_base import Ticket

FIRST_REPLY = {"P1": (3, 20), "P2": (10, 60), "P3": (20, 240), "P4": (30, 480)}  # minutes
RESOLVE = {"P1": (1, 6), "P2": (2, 24), "P3": (4, 72), "P4": (6, 120)}  # hours
WAITING = 0.25  # share of tickets that wait for the customer once
REPLY = "Thanks for reporting this; we are looking into it."
ASK = "Could you send us the time it happened and a screenshot, please?"
ANSWER = "Here is the information you asked for."
FIXED = "This is fixed now; please let us know if anything is still wrong."
AGENTS = [(f"{first.lower()}@{DOMAIN}", ZoneInfo(tz)) for first, _, tz, _ in PEOPLE]


def on_shift(at: datetime) -> list[str]:
    """The agents working at ``at``: in office hours, else awake, else anyone."""
    local = [(email, at.astimezone(zone)) for email, zone in AGENTS]
    office = [e for e, t in local if t.weekday() < 5 and 8 <= t.hour < 18]
    awake = [e for e, t in local if 8 <= t.hour < 20]
    return office or awake or [e for e, _ in AGENTS]


def _steps(rng: random.Random, priority: str, reporter: str, agent: str) -> list[Any]:
    """(minutes after the previous step, author, event body) for the ticket's life."""
    steps: list[Any] = [
        (rng.uniform(*FIRST_REPLY[priority]), agent, {"comment": REPLY}),
        (rng.uniform(1, 20), agent, {"status": "In Progress"}),
    ]
    if rng.random() < WAITING:
        steps += [
            (rng.uniform(20, 180), agent, {"comment": ASK}),
            (rng.uniform(0, 2), agent, {"status": "Waiting for customer"}),
            (rng.uniform(30, 24 * 60), reporter, {"comment": ANSWER}),
            (rng.uniform(5, 60), agent, {"status": "In Progress"}),
        ]
    steps += [
        (rng.uniform(*RESOLVE[priority]) * 60, agent, {"comment": FIXED}),
        (rng.uniform(0, 3), agent, {"status": "Resolved"}),
    ]
    return steps


def story(
    rng: random.Random, anchor: datetime, created: datetime, priority: str, reporter: str
) -> Ticket:
    """A resolved ticket (no organisation, components or labels yet) created at ``created``."""
    agent = rng.choice(on_shift(created))
    steps = _steps(rng, priority, reporter, agent)
    total = sum(minutes for minutes, _, _ in steps)
    room = (anchor - timedelta(minutes=1) - created).total_seconds() / 60
    squeeze = min(1.0, room / total)
    events, elapsed = [], 0.0
    for minutes, author, body in steps:
        elapsed += minutes * squeeze
        at = created + timedelta(seconds=int(elapsed * 60))
        events.append({"at": at.astimezone(UTC).isoformat(), "author": author, **body})
    return {
        "project": "SUP",
        "summary": rng.choice(SUBJECTS),
        "priority": priority,
        "reporter": reporter,
        "assignee": agent,
        "created": created.astimezone(UTC).isoformat(),
        "events": events,
    }
