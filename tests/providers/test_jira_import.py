"""Import from Jira: hand-made priorities and organisations become policy YAML, adopted, and
plan clean right after; what cannot be imported is listed with what to do instead."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from jira import JIRA

from opskit.cli import cli
from opskit.policy.model import Policy
from opskit.sandbox import Sandbox
from tests.providers.test_jira_site import add_user, example_policy, set_up_site
from tests.providers.test_jira_sync import ORGS, REPO, TOKEN, get, send

BASE = """\
# yaml-language-server: $schema=../schemas/policy.schema.json
kind: Priority
name: P1
level: 1
title: Critical
urgency: high
color: "#d04437"
jira_name: Highest
description: Everything is down.
---
kind: SlaTier
name: premium
calendar: 24x7
targets:
  P1: {first_response: 15m, resolution: 4h}
---
kind: SlaTier
name: standard
calendar: 24x7
targets:
  P1: {first_response: 1h, resolution: 1d}
"""
CONFIG = (
    "workspace: acme\npolicies: [policies]\ntargets: {jira: {projects: [SUP], service_desk: SUP}}\n"
)


def opskit(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def environment(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {
        "JIRA_URL": sandbox.url, "JIRA_EMAIL": "anna@northwind.example", "JIRA_API_TOKEN": TOKEN,
        "OPSKIT_CA_BUNDLE": str(sandbox.ca_path), "OPSKIT_RETRY_BASE_SECONDS": "0.01",
    }.items():  # fmt: skip
        monkeypatch.setenv(key, value)


def priorities(admin: JIRA) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in get(admin, "/priority")}


def organizations(admin: JIRA) -> dict[str, dict[str, Any]]:
    return {o["name"]: o for o in get(admin, ORGS, limit=100)["values"]}


def org_state(admin: JIRA) -> dict[str, Any]:
    """Every organisation's properties and members, for comparing before and after."""
    out = {}
    for name, org in organizations(admin).items():
        keys = [k["key"] for k in get(admin, f"{ORGS}/{org['id']}/property")["keys"]]
        props = {k: get(admin, f"{ORGS}/{org['id']}/property/{k}")["value"] for k in keys}
        members = sorted(m["accountId"] for m in get(admin, f"{ORGS}/{org['id']}/user")["values"])
        out[name] = (props, members)
    return out


def writes(sandbox: Sandbox, since: int) -> list[str]:
    return [f"{e.method} {e.path}" for e in sandbox.log.snapshot()[since:] if e.method != "GET"]


def organisation(admin: JIRA, sandbox: Sandbox, name: str, members: list[str]) -> str:
    send(admin, "POST", ORGS, {"name": name})
    org_id = str(organizations(admin)[name]["id"])
    ids = [add_user(sandbox, email, email.split("@")[0].title()) for email in members]
    if ids:
        send(admin, "POST", f"{ORGS}/{org_id}/user", {"accountIds": ids})
    return org_id


@pytest.fixture
def site(sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[JIRA, Sandbox]:
    """A small repository applied to a site, then objects made by hand next to its own."""
    environment(sandbox, monkeypatch)
    repo = tmp_path / "repo"
    (repo / "policies").mkdir(parents=True)
    (repo / "opskit.yaml").write_text(CONFIG)
    (repo / "policies" / "base.yaml").write_text(BASE)
    monkeypatch.chdir(repo)
    admin = set_up_site(sandbox, Policy())
    add_user(sandbox, "anna@northwind.example", "Anna")
    applied = opskit("apply", "--target", "jira", "--yes")
    assert applied.exit_code == 0, applied.output

    send(admin, "POST", "/priority", {
        "name": "Sev 5 - Cosmetic", "statusColor": "#AABBCC",
        "description": "Cosmetic: typos and layout glitches\n- A misaligned button",
    })  # fmt: skip
    send(
        admin,
        "POST",
        "/priority",
        {"name": "P1", "statusColor": "#123456", "description": "Old P1"},
    )
    acme = organisation(admin, sandbox, "Acme Corp", ["ops@acme.example", "cto@acme.example"])
    send(admin, "PUT", f"{ORGS}/{acme}/property/tier", "Premium")  # said by hand, any case
    organisation(admin, sandbox, "Zenith", ["it@zenith.example"])
    send(admin, "POST", "/component", {"name": "Billing", "project": "SUP"})
    field = next(f for f in get(admin, "/field") if f["name"] == "Support tier")
    [context] = get(admin, f"/field/{field['id']}/context")["values"]
    path = f"/field/{field['id']}/context/{context['id']}/option"
    send(admin, "POST", path, {"options": [{"value": "Gold"}]})
    return admin, sandbox


def test_import_all_then_validate_and_plan_show_nothing_for_them(
    site: tuple[JIRA, Sandbox],
) -> None:
    admin, _ = site
    done = opskit("import", "--target", "jira", "--all", "--tier", "standard")
    assert done.exit_code == 0, done.output
    assert "wrote policies/imported/priorities.yaml" in done.output
    assert "wrote policies/imported/customers.yaml" in done.output
    assert (
        "adopted priority 'Sev 5 - Cosmetic' as Priority 'Sev-5---Cosmetic' (renamed" in done.output
    )
    assert "adopted priority 'P1' as Priority 'P1-2' (renamed" in done.output  # P1 is taken
    assert "adopted organization 'Acme Corp' as Customer 'Acme-Corp' (renamed" in done.output
    assert "adopted organization 'Zenith' as Customer 'Zenith'\n" in done.output

    text = Path("policies/imported/priorities.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/policy.schema.json\n")
    assert "# priorities: imported from Jira on " in text
    imported = {d["name"]: d for d in yaml.safe_load_all(text)}
    # Jira's own High..Lowest (not named by the policies) come in, after P1, in Jira's order
    assert [(n, d["level"]) for n, d in imported.items()] == [
        ("High", 2), ("Medium", 3), ("Low", 4), ("Lowest", 5), ("Sev-5---Cosmetic", 6), ("P1-2", 7),
    ]  # fmt: skip
    assert imported["Sev-5---Cosmetic"] == {
        "kind": "Priority", "name": "Sev-5---Cosmetic", "description": "typos and layout glitches",
        "level": 6, "title": "Cosmetic", "urgency": "low", "examples": ["A misaligned button"],
        "color": "#aabbcc", "jira_name": "Sev 5 - Cosmetic",
    }  # fmt: skip
    customers = {
        d["name"]: d
        for d in yaml.safe_load_all(Path("policies/imported/customers.yaml").read_text())
    }
    assert customers["Acme-Corp"]["display_name"] == "Acme Corp"
    assert customers["Acme-Corp"]["tier"] == "premium"  # from its property
    assert customers["Zenith"]["tier"] == "standard"  # from --tier
    assert [c["email"] for c in customers["Acme-Corp"]["contacts"]] == [
        "cto@acme.example",
        "ops@acme.example",
    ]
    # not importable, and said so with what to do instead
    assert "component 'SUP/Billing' not imported: a Service needs a team" in done.output
    assert "tier option 'Gold' of 'Support tier' not imported" in done.output
    assert "then run 'opskit jira adopt' for the components" in done.output

    assert opskit("validate").exit_code == 0
    plan = opskit("plan", "--target", "jira", "--format", "json")
    changes = [c for c in json.loads(plan.stdout)["targets"][0]["changes"] if c["action"] != "unchanged"]
    # Only the scheme, which now offers the imported priorities (shown, applied by apply).
    assert [(c["type"], c["action"]) for c in changes] == [("priority_scheme", "update")]
    after = priorities(admin)
    assert after["Sev 5 - Cosmetic"]["description"].endswith("managed-by: opskit/acme")
    assert after["Sev 5 - Cosmetic"]["statusColor"] == "#aabbcc"
    acme = organizations(admin)["Acme Corp"]
    facts = get(admin, f"{ORGS}/{acme['id']}/property/opskit")["value"]
    assert facts["managedBy"] == "managed-by: opskit/acme" and facts["tier"] == "premium"

    assert opskit("apply", "--target", "jira", "--yes").exit_code == 0
    again = opskit("plan", "--target", "jira", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "Nothing to import" in opskit("import", "--target", "jira", "--all").output
    for result in (done, plan, again):
        assert TOKEN not in result.output


def test_name_picks_objects_and_leaves_the_rest_alone(site: tuple[JIRA, Sandbox]) -> None:
    admin, _ = site
    before = priorities(admin)
    done = opskit(
        "import", "--target", "jira", "--name", "Acme Corp", "--name", "Nope", "--name", "Highest"
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "nothing in Jira is named 'Nope'" in done.output
    assert "priority 'Highest' is already managed by opskit/acme" in done.output
    assert "adopted organization 'Acme Corp'" in done.output and "Zenith" not in done.output
    assert not Path("policies/imported/priorities.yaml").exists()
    [customer] = yaml.safe_load_all(Path("policies/imported/customers.yaml").read_text())
    assert customer["name"] == "Acme-Corp"
    assert priorities(admin) == before
    zenith = organizations(admin)["Zenith"]
    assert get(admin, f"{ORGS}/{zenith['id']}/property")["keys"] == []
    plan = opskit("plan", "--target", "jira", "--format", "json")
    keys = {
        (c["type"], c["key"])
        for c in json.loads(plan.stdout)["targets"][0]["changes"]
        if c["action"] != "unchanged"
    }
    assert ("organization", "Acme Corp") not in keys and keys == set()


def test_dry_run_changes_nothing(site: tuple[JIRA, Sandbox]) -> None:
    admin, sandbox = site
    before = (priorities(admin), org_state(admin))
    start = len(sandbox.log.snapshot())
    dry = opskit("import", "--target", "jira", "--all", "--tier", "standard", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "--- policies/imported/priorities.yaml" in dry.output
    assert "name: Sev-5---Cosmetic" in dry.output
    assert "Would adopt: priority 'High'" in dry.output and "organization 'Acme Corp'" in dry.output
    assert writes(sandbox, start) == []
    assert not Path("policies/imported").exists()
    assert (priorities(admin), org_state(admin)) == before
    assert TOKEN not in dry.output


def test_a_customer_needs_a_tier(site: tuple[JIRA, Sandbox]) -> None:
    admin, sandbox = site
    start = len(sandbox.log.snapshot())
    result = opskit("import", "--target", "jira", "--all")
    assert result.exit_code == 2, result.output
    assert "no tier for organisation(s) 'Zenith'" in result.output
    assert "pass --tier TIER (one of: premium, standard)" in result.output
    assert writes(sandbox, start) == [] and not Path("policies/imported").exists()
    unknown = opskit("import", "--target", "jira", "--all", "--tier", "gold")
    assert unknown.exit_code == 2 and "no SlaTier named 'gold'" in unknown.output
    zenith = organizations(admin)["Zenith"]
    send(admin, "PUT", f"{ORGS}/{zenith['id']}/property/tier", "Gold")
    start = len(sandbox.log.snapshot())
    gold = opskit("import", "--target", "jira", "--name", "Zenith")
    assert gold.exit_code == 2
    assert "'Zenith' (its property says 'Gold', no SlaTier)" in gold.output
    assert writes(sandbox, start) == [] and not Path("policies/imported").exists()


def test_team_is_pagerduty_only() -> None:
    result = opskit("import", "--target", "jira", "--team", "storage")
    assert result.exit_code == 2
    assert "--team is for PagerDuty" in result.output


def test_nothing_is_written_or_adopted_when_the_result_would_not_validate(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every example service takes every priority, and no tier has targets for a new one."""
    environment(sandbox, monkeypatch)
    repo = tmp_path / "repo"
    for folder in ("policies", "playbooks"):
        shutil.copytree(REPO / folder, repo / folder)
    shutil.copy(REPO / "opskit.yaml", repo / "opskit.yaml")
    monkeypatch.chdir(repo)
    admin = set_up_site(sandbox, example_policy(repo))
    before = (priorities(admin), org_state(admin))
    start = len(sandbox.log.snapshot())
    result = opskit("import", "--target", "jira", "--name", "Lowest")
    assert result.exit_code == 1, result.output
    assert "takes Lowest but tier 'Premium' has no targets for it" in result.output
    assert "nothing was written or adopted" in result.output
    assert writes(sandbox, start) == []
    assert not (repo / "policies" / "imported").exists()
    assert (priorities(admin), org_state(admin)) == before
    assert TOKEN not in result.output
