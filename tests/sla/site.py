"""A sandbox Jira site with the example policies' customers and services, and tickets with
backdated histories loaded through the sandbox's admin endpoint."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import requests

from opskit.policy.model import Policy
from opskit.sandbox import Sandbox
from tests.providers.test_jira_site import example_policy, set_up_site

REPO = Path(__file__).resolve().parents[2]
TOKEN = "jira-sandbox-secret-5c1d"
AGENT = "mehmet@northwind.example"
TIDEWATER = "colin@tidewaterbooks.example"
HARBOR = "luis.moreno@harbordental.example"

# now for `sla status`: Tue 1 Dec 2026 17:00 Berlin
NOW = "2026-12-01T16:00:00Z"


def comment(at: str, text: str = "On it.", public: bool = True, who: str = AGENT) -> dict[str, Any]:
    return {"at": at, "author": who, "comment": text, "public": public}


TICKETS: list[dict[str, Any]] = [
    {  # SUP-1: Standard, over a weekend; next update at risk at NOW
        "summary": "Booking app shows yesterday's orders", "priority": "High",
        "organization": "Tidewater Books", "reporter": TIDEWATER,
        "created": "2026-11-27T16:00:00+01:00",
        "events": [comment("2026-11-30T10:00:00+01:00")],
    },
    {  # SUP-2: Premium P1, only an internal note: first response breached
        "summary": "Imaging archive unreachable", "priority": "Highest",
        "organization": "Harbor Dental Group", "reporter": HARBOR,
        "created": "2026-12-01T15:30:00+00:00",
        "events": [comment("2026-12-01T15:35:00+00:00", "check the LB", public=False)],
    },
    {  # SUP-3: no organisation, no component: untracked
        "summary": "Question about invoices", "priority": "Low", "reporter": TIDEWATER,
        "created": "2026-11-30T09:00:00+00:00", "events": [],
    },
    {  # SUP-4: the Backup service's tier (Business), no organisation
        "summary": "Restore job stuck", "priority": "Medium", "components": ["Backup"],
        "reporter": TIDEWATER, "created": "2026-12-01T12:00:00+00:00",
        "events": [comment("2026-12-01T12:30:00+00:00")],
    },
    {  # SUP-5: Standard P1 over Easter (Good Friday, Easter Monday)
        "summary": "Shop sync down before Easter", "priority": "Highest",
        "organization": "Tidewater Books", "reporter": TIDEWATER,
        "created": "2026-04-02T16:00:00+02:00", "events": [],
    },
    {  # SUP-6: Standard, P3 raised to P1 at 11:00, a pause, then resolved
        "summary": "Intranet login loops", "priority": "Medium",
        "organization": "Tidewater Books", "reporter": TIDEWATER,
        "created": "2026-11-30T09:00:00+01:00",
        "events": [
            {"at": "2026-11-30T11:00:00+01:00", "author": AGENT, "priority": "Highest"},
            {"at": "2026-11-30T13:30:00+01:00", "author": AGENT, "status": "Waiting for customer"},
            {"at": "2026-12-01T09:00:00+01:00", "author": AGENT, "status": "In Progress"},
        ],
    },
]  # fmt: skip


def admin(sb: Sandbox, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(
        method, sb.url + path, json=body, verify=str(sb.ca_path),
        auth=("anna@northwind.example", TOKEN), timeout=30,
    )  # fmt: skip


def load_tickets(sb: Sandbox, tickets: list[dict[str, Any]]) -> list[str]:
    answer = admin(sb, "POST", "/_sandbox/jira/tickets",
                   {"tickets": [{"project": "SUP", **t} for t in tickets]})  # fmt: skip
    assert answer.status_code == 201, answer.text
    keys: list[str] = answer.json()["keys"]
    return keys


def applied_site(sb: Sandbox, monkeypatch: pytest.MonkeyPatch, cache: Path) -> Policy:
    """The site as `opskit apply` leaves it (components, organisations), Jira's environment
    set and the repository the working folder; the example policy."""
    policy = example_policy(REPO)
    set_up_site(sb, policy)
    for service in policy.services.values():
        admin(
            sb, "POST", "/rest/api/2/component", {"name": service.jira_component, "project": "SUP"}
        )
    for customer in policy.customers.values():
        admin(sb, "POST", "/rest/servicedeskapi/organization", {"name": customer.organization})
    for name, value in env(sb, cache).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(REPO)
    return policy


def prepare(sb: Sandbox, monkeypatch: pytest.MonkeyPatch, cache: Path) -> list[str]:
    """The applied site and the tickets."""
    applied_site(sb, monkeypatch, cache)
    return load_tickets(sb, TICKETS)


def env(sb: Sandbox, cache: Path) -> dict[str, str]:
    return {
        "JIRA_URL": sb.url, "JIRA_EMAIL": "anna@northwind.example", "JIRA_API_TOKEN": TOKEN,
        "OPSKIT_CA_BUNDLE": str(sb.ca_path), "OPSKIT_RETRY_BASE_SECONDS": "0.01",
        "OPSKIT_CACHE_DIR": str(cache),
    }  # fmt: skip


def copy_example(root: Path) -> Path:
    """A copy of the example repository (policies, playbooks, opskit.yaml) at `root`."""
    for folder in ("policies", "playbooks"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "opskit.yaml", root / "opskit.yaml")
    return root
