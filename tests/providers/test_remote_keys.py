"""One name, one remote object: two policies that would become the same Jira or PagerDuty
object stop validate (and so plan and apply) before anything is read or written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jira import JIRA

from opskit.cli import cli
from opskit.sandbox import Sandbox
from tests.providers.test_jira_site import example_policy, set_up_site

REPO = Path(__file__).resolve().parents[2]
ORGS = "/rest/servicedeskapi/organization"

# A second customer, on a trial, whose organisation is the Premium customer's.
SECOND_CUSTOMER = """
---
kind: Customer
name: brightleaf-trial
display_name: Brightleaf trial seats
organization: Brightleaf Legal LLP
tier: Business
contacts:
  - name: Trial Admin
    email: trial.admin@brightleaf-legal.example
"""


def opskit(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def get(admin: JIRA, path: str, **params: Any) -> Any:
    return admin._session.get(admin.server_url + path, params=params).json()


def organisation(admin: JIRA, name: str) -> tuple[dict[str, Any], list[str]]:
    """The organisation's `opskit` property and its members' emails, read as an admin."""
    [org] = [o for o in get(admin, ORGS, limit=100)["values"] if o["name"] == name]
    facts = get(admin, f"{ORGS}/{org['id']}/property/opskit")["value"]
    members = get(admin, f"{ORGS}/{org['id']}/user")["values"]
    return facts, sorted(m["emailAddress"] for m in members)


@pytest.fixture
def repo(sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example repository, applied once to a Jira site set up for it."""
    monkeypatch.setenv("JIRA_URL", sandbox.url)
    monkeypatch.setenv("JIRA_EMAIL", "anna@northwind.example")
    monkeypatch.setenv("JIRA_API_TOKEN", "jira-sandbox-token")
    monkeypatch.setenv("OPSKIT_CA_BUNDLE", str(sandbox.ca_path))
    monkeypatch.setenv("OPSKIT_RETRY_BASE_SECONDS", "0.01")
    root = tmp_path / "repo"
    for folder in ("policies", "playbooks"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "opskit.yaml", root / "opskit.yaml")
    monkeypatch.chdir(root)
    set_up_site(sandbox, example_policy(REPO))
    applied = opskit("apply", "--target", "jira", "--yes")
    assert applied.exit_code == 0, applied.output
    return root


def test_a_second_customer_on_an_organisation_stops_validate_plan_and_apply(
    repo: Path, sandbox: Sandbox
) -> None:
    """Before, the plan merged both customers into one organisation: the Premium customer's
    became Business and lost its members to the trial's one contact."""
    from tests.sandbox.fixtures import jira_client_for

    admin = jira_client_for(sandbox)
    before = organisation(admin, "Brightleaf Legal LLP")
    assert before[0]["tier"] == "Premium" and len(before[1]) == 2
    customers = repo / "policies" / "customers.yaml"
    customers.write_text(customers.read_text() + SECOND_CUSTOMER)

    validated = opskit("validate", "--format", "json")
    assert validated.exit_code == 1
    found = [
        (p["rule"], p["path"], p["line"], p["message"])
        for p in json.loads(validated.output)["problems"]
    ]
    assert [(rule, path, line) for rule, path, line, _ in found] == [
        ("remote-key-duplicate", "policies/customers.yaml", 11),  # display_name: Brightleaf…
        ("remote-key-duplicate", "policies/customers.yaml", 184),  # organization: Brightleaf…
    ], found
    first, second = (message for *_, message in found)
    assert first.startswith(
        "Customer 'brightleaf-legal' and Customer 'brightleaf-trial' "
        "(at policies/customers.yaml:184:15) both become Jira Service Management organisation "
        "'Brightleaf Legal LLP'; one object cannot be both: give each its own "
        "organization"
    ), first
    assert second.startswith(
        "Customer 'brightleaf-trial' and Customer 'brightleaf-legal' "
        "(at policies/customers.yaml:11:15) both become"
    ), second

    for command in (["plan"], ["apply", "--yes"]):
        stopped = opskit(*command, "--target", "jira")
        assert stopped.exit_code == 1, stopped.output
        assert "[remote-key-duplicate]" in stopped.output
        assert "organization 'Brightleaf Legal LLP'" not in stopped.output  # nothing planned
    assert organisation(admin, "Brightleaf Legal LLP") == before
