"""The demo data set for Jira Service Management: a project, customers and tickets."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from opskit.sandbox.db import Store
from opskit.sandbox.jira.workflow import ORGANIZATIONS_FIELD
from opskit.sandbox.seed_data import CUSTOMERS, DOMAIN, JIRA_PRIORITIES, PEOPLE, SUBJECTS

DEMO_TICKETS = 300


def seed_jira(store: Store, anchor: datetime) -> None:
    from opskit.sandbox.jira.common import ensure_user

    rng = random.Random(2026)
    agents = [
        ensure_user(f"{f.lower()}@{DOMAIN}", f"{f} {last}")["accountId"] for f, last, _, _ in PEOPLE
    ]
    project_id = "10000"
    store.put(
        "jira.project",
        project_id,
        {
            "id": project_id,
            "key": "SUP",
            "name": "Northwind Support",
            "projectTypeKey": "service_desk",
            "description": "Customer support",
            "leadAccountId": agents[0],
        },
    )
    store.put("jsm.servicedesk", "1", {"id": "1", "projectId": project_id, "organizations": []})
    prio_ids = []
    for i, (name, colour, desc) in enumerate(JIRA_PRIORITIES, start=1):
        pid = str(10000 + i)
        store.put(
            "jira.priority",
            pid,
            {
                "id": pid,
                "name": name,
                "statusColor": colour,
                "description": desc,
                "iconUrl": "/images/icons/priorities/major.svg",
            },
        )
        prio_ids.append(pid)
    for _ in JIRA_PRIORITIES:  # keep ids of priorities created later clear of these
        store.next_number("jira.priority")
    store.next_number("jsm.servicedesk")
    orgs: list[tuple[str, list[str]]] = []
    for n, (org, tier, contacts) in enumerate(CUSTOMERS, start=1):
        members = [
            ensure_user(email, f"{email.split('@')[0].replace('.', ' ').title()} ({org})")[
                "accountId"
            ]
            for email in contacts
        ]
        store.put(
            "jsm.org",
            str(n),
            {"id": str(n), "name": org, "members": members, "properties": {"tier": tier}},
        )
        orgs.append((str(n), members))
        store.next_number("jsm.org")
    desk = store.get("jsm.servicedesk", "1") or {}
    desk["organizations"] = [o for o, _ in orgs]
    store.put("jsm.servicedesk", "1", desk)
    for n in range(DEMO_TICKETS):
        _ticket(rng, n, anchor, orgs, agents, prio_ids)


def _ticket(
    rng: random.Random,
    n: int,
    anchor: datetime,
    orgs: list[tuple[str, list[str]]],
    agents: list[str],
    prio_ids: list[str],
) -> None:
    from opskit.sandbox.jira.issue_model import add_comment, create, transition
    from opskit.sandbox.state import state

    org, contacts = orgs[rng.randrange(len(orgs))]
    reporter = rng.choice(contacts)
    opened = anchor - timedelta(minutes=rng.randrange(60, 60 * 24 * 60))
    prio = rng.choices(prio_ids, weights=[1, 3, 6, 8])[0]
    issue = create(
        {
            "project": {"key": "SUP"},
            "summary": f"{rng.choice(SUBJECTS)} (#{n})",
            "description": "Reported through the portal.",
            "priority": {"id": prio},
            ORGANIZATIONS_FIELD: [org],
        },
        reporter,
        opened,
    )
    when = opened
    agent = rng.choice(agents)
    issue["assignee"] = agent
    for step in _story(rng):
        when += timedelta(minutes=rng.randrange(5, 600))
        if when >= anchor:
            break
        if step == "reply":
            add_comment(issue, agent, "Thanks, we are looking into it.", when)
        elif step == "customer":
            add_comment(issue, reporter, "Here is the information you asked for.", when)
        else:
            transition(issue, step, agent, when)
    state().store.put("jira.issue", issue["key"], issue)


def _story(rng: random.Random) -> list[str]:
    """A plausible life of a ticket: replies, pauses waiting for the customer, resolution."""
    steps = ["reply", "In Progress"]
    for _ in range(rng.choice([0, 0, 1, 2])):
        steps += ["Waiting for customer", "customer", "In Progress"]
    if rng.random() < 0.75:
        steps.append("Resolved")
        if rng.random() < 0.5:
            steps.append("Closed")
    return steps
