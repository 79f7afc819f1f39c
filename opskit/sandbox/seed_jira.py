"""The demo data set for Jira Service Management: a project, its components, customers and
tickets: 300 random ones, then the deliberate set of ``seed_tickets``; a good share of the
resolved ones rated by their customers (``seed_feedback``)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from opskit.sandbox.db import Store
from opskit.sandbox.jira.workflow import ORGANIZATIONS_FIELD
from opskit.sandbox.seed_data import (
    CUSTOMERS,
    DOMAIN,
    JIRA_PRIORITIES,
    PEOPLE,
    SERVICE_COMPONENTS,
    SUBJECTS,
)

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
    components = _components(store, project_id)
    for n in range(DEMO_TICKETS):
        # customer services only: major incidents are opened by playbooks, not customers
        _ticket(rng, n, anchor, orgs, agents, prio_ids, components[n % (len(components) - 1)])
    from opskit.sandbox.seed_tickets import deliberate_tickets
    from opskit.sandbox.tickets import load_tickets

    load_tickets(store, deliberate_tickets(anchor))


def _components(store: Store, project_id: str) -> list[str]:
    """The services' components, made by hand (no opskit marker); ids in table order."""
    ids = []
    for _, name in SERVICE_COMPONENTS:
        cid = str(10000 + store.next_number("jira.component"))
        store.put(
            "jira.component",
            cid,
            {"id": cid, "name": name, "description": "", "project": "SUP",
             "projectId": project_id, "assigneeType": "PROJECT_DEFAULT"},
        )  # fmt: skip
        ids.append(cid)
    return ids


def _ticket(
    rng: random.Random,
    n: int,
    anchor: datetime,
    orgs: list[tuple[str, list[str]]],
    agents: list[str],
    prio_ids: list[str],
    component: str,
) -> None:
    from opskit.sandbox.jira.issue_model import add_comment, create, transition
    from opskit.sandbox.seed_feedback import rate_random
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
            "issuetype": {"name": "Service Request"},
            "priority": {"id": prio},
            "components": [{"id": component}],
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
    rate_random(issue, n, anchor)


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
