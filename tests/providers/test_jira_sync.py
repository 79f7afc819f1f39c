"""Jira sync end to end: the real `jira` client, the sandbox, the CLI as users run it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jira import JIRA

from opskit.cli import cli
from opskit.sandbox import Sandbox
from tests.providers.test_jira_site import add_user, example_policy, set_up_site

REPO = Path(__file__).resolve().parents[2]
TOKEN = "jira-sandbox-secret-7f3a9"
ORGS = "/rest/servicedeskapi/organization"


@pytest.fixture
def site(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> JIRA:
    monkeypatch.setenv("JIRA_URL", sandbox.url)
    monkeypatch.setenv("JIRA_EMAIL", "anna@northwind.example")
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    monkeypatch.setenv("OPSKIT_CA_BUNDLE", str(sandbox.ca_path))
    monkeypatch.setenv("OPSKIT_RETRY_BASE_SECONDS", "0.01")
    monkeypatch.chdir(REPO)
    return set_up_site(sandbox, example_policy(REPO))


def opskit(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def get(admin: JIRA, path: str, **params: Any) -> Any:
    url = admin.server_url + path if path.startswith("/rest/") else admin._get_url(path.lstrip("/"))
    return admin._session.get(url, params=params).json()


def send(admin: JIRA, method: str, path: str, body: Any) -> None:
    url = admin.server_url + path if path.startswith("/rest/") else admin._get_url(path.lstrip("/"))
    admin._session.request(method, url, json=body)


def components(admin: JIRA, project: str) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in get(admin, f"/project/{project}/components")}


def organizations(admin: JIRA) -> dict[str, dict[str, Any]]:
    return {o["name"]: o for o in get(admin, ORGS, limit=100)["values"]}


def tier_options(admin: JIRA) -> dict[str, dict[str, Any]]:
    field = next(f for f in get(admin, "/field") if f["name"] == "Support tier")
    [context] = get(admin, f"/field/{field['id']}/context")["values"]
    path = f"/field/{field['id']}/context/{context['id']}/option"
    return {o["value"]: {**o, "path": path} for o in get(admin, path)["values"]}


def test_apply_then_plan_twice_shows_nothing_and_everything_is_set(site: JIRA) -> None:
    first = opskit("plan", "--target", "jira", "--detailed-exitcode")
    assert first.exit_code == 1, first.output
    assert "~ priority 'Highest'" in first.output  # Jira's own priorities, named by the policies
    assert "+ component 'SUP/Storage API'" in first.output
    assert "+ tier_option 'Premium'" in first.output
    assert "+ organization 'Brightleaf Legal LLP'" in first.output
    assert "priority 'Lowest'" in first.output.split("Left alone")[1]

    applied = opskit("apply", "--target", "jira", "--yes")
    assert applied.exit_code == 0, applied.output
    assert "Applied to jira:" in applied.output
    for _ in range(2):
        again = opskit("plan", "--target", "jira", "--detailed-exitcode")
        assert again.exit_code == 0, again.output
        assert "0 to create, 0 to update, 0 to delete" in again.output

    [scheme] = get(site, "/priorityscheme", expand="priorities,projects")["values"]
    assert scheme["name"] == "Support priorities (northwind)"
    assert {p["name"] for p in scheme["priorities"]["values"]} == {
        "Highest",
        "High",
        "Medium",
        "Low",
    }
    assert {p["key"] for p in scheme["projects"]["values"]} == {"SUP", "OPS"}
    default = next(p for p in scheme["priorities"]["values"] if p["isDefault"])
    assert default["name"] == "Low"  # an unsorted request pages nobody
    highest = next(p for p in site.priorities() if p.name == "Highest")
    assert highest.raw["statusColor"] == "#d04437"
    assert "unavailable (errors above 5%)" in highest.raw["description"]
    assert highest.raw["description"].endswith("managed-by: opskit/northwind")
    storage = components(site, "OPS")["Storage API"]
    assert storage["lead"]["emailAddress"] == "anna@northwind.example"
    assert storage["assigneeType"] == "COMPONENT_LEAD"
    assert tier_options(site)["Premium"]["disabled"] is False
    brightleaf = organizations(site)["Brightleaf Legal LLP"]
    members = get(site, f"{ORGS}/{brightleaf['id']}/user")["values"]
    assert {m["emailAddress"] for m in members} == {
        "hannah.whitfield@brightleaf-legal.example",
        "samuel.osei@brightleaf-legal.example",
    }
    facts = get(site, f"{ORGS}/{brightleaf['id']}/property/opskit")["value"]
    assert facts["tier"] == "Premium" and facts["contract"]["id"] == "NW-P-2025-014"
    assert facts["managedBy"] == "managed-by: opskit/northwind"
    desks = get(site, "/rest/servicedeskapi/servicedesk")["values"]
    desk = next(d for d in desks if d["projectKey"] == "SUP")
    linked = get(site, f"/rest/servicedeskapi/servicedesk/{desk['id']}/organization", limit=100)
    assert brightleaf["id"] in {o["id"] for o in linked["values"]}
    for result in (first, applied, again):
        assert TOKEN not in result.output


def test_drift_shows_every_field_edited_by_hand_and_apply_restores_them(site: JIRA) -> None:
    assert opskit("apply", "--target", "jira", "--yes").exit_code == 0
    highest = next(p for p in site.priorities() if p.name == "Highest")
    send(
        site, "PUT", f"/priority/{highest.id}", {"statusColor": "#000000", "description": "edited"}
    )
    storage = components(site, "SUP")["Storage API"]
    send(site, "PUT", f"/component/{storage['id']}", {
        "description": "edited\n\nmanaged-by: opskit/northwind", "assigneeType": "PROJECT_DEFAULT",
        "leadAccountId": add_user_via_store(site, "oscar@northwind.example"),
    })  # fmt: skip
    [scheme] = get(site, "/priorityscheme")["values"]
    send(site, "PUT", f"/priorityscheme/{scheme['id']}", {
        "defaultPriorityId": int(highest.id), "projects": {"remove": {"ids": [int(site.project("OPS").id)]}},
    })  # fmt: skip
    premium = tier_options(site)["Premium"]
    send(site, "PUT", premium["path"], {"options": [{"id": premium["id"], "disabled": True}]})
    org = organizations(site)["Tidewater Books"]
    stranger = add_user_via_store(site, "mallory@elsewhere.example")
    send(site, "POST", f"{ORGS}/{org['id']}/user", {"accountIds": [stranger]})
    facts = get(site, f"{ORGS}/{org['id']}/property/opskit")["value"]
    send(site, "PUT", f"{ORGS}/{org['id']}/property/opskit", {**facts, "tier": "Premium"})

    drift = opskit("drift", "--target", "jira")
    assert drift.exit_code == 1, drift.output
    for expected in (
        "~ priority 'Highest'", 'statusColor: "#000000" → "#d04437"',
        "~ component 'SUP/Storage API'", 'assigneeType: "PROJECT_DEFAULT" → "COMPONENT_LEAD"',
        'lead: "712020:', "~ tier_option 'Premium'", "disabled: true → false",
        "~ organization 'Tidewater Books'", "members:", '"tier": "Premium"',
        "~ priority_scheme 'Support priorities (northwind)'", 'default: "Highest" → "Low"',
        'projects: ["SUP"] → ["OPS", "SUP"]',
    ):  # fmt: skip
        assert expected in drift.output, expected
    assert opskit("apply", "--target", "jira", "--yes").exit_code == 0
    clean = opskit("drift", "--target", "jira")
    assert clean.exit_code == 0, clean.output
    members = get(site, f"{ORGS}/{org['id']}/user")["values"]
    assert stranger not in {m["accountId"] for m in members}


_SANDBOX: list[Sandbox] = []


def add_user_via_store(admin: JIRA, email: str) -> str:
    return add_user(_SANDBOX[-1], email, email.split("@")[0].title())


@pytest.fixture(autouse=True)
def _remember(sandbox: Sandbox) -> None:
    _SANDBOX.append(sandbox)


def test_hand_made_organisation_blocks_until_adopted(site: JIRA) -> None:
    send(site, "POST", ORGS, {"name": "Harbor Dental Group"})
    blocked = opskit("plan", "--target", "jira", "--detailed-exitcode")
    assert blocked.exit_code == 1
    assert (
        "policies/customers.yaml:28:7: error: organization 'Harbor Dental Group' already exists"
        in blocked.output
    )
    refused = opskit("apply", "--target", "jira", "--yes")
    assert refused.exit_code == 1 and "nothing was applied" in refused.output

    listed = opskit("jira", "adopt")
    assert (
        listed.exit_code == 1 and "Would adopt organization 'Harbor Dental Group'" in listed.output
    )
    adopted = opskit("jira", "adopt", "--yes")
    assert adopted.exit_code == 0 and "Adopted organization 'Harbor Dental Group'" in adopted.output
    plan = opskit("plan", "--target", "jira")
    assert "~ organization 'Harbor Dental Group'" in plan.output
    assert opskit("apply", "--target", "jira", "--yes").exit_code == 0
    assert [o["name"] for o in organizations(site).values()].count("Harbor Dental Group") == 1


def test_prune_is_opt_in_and_capped_and_retired_tiers_are_disabled(
    site: JIRA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "policies", repo / "policies")
    shutil.copytree(REPO / "playbooks", repo / "playbooks")
    shutil.copy(REPO / "opskit.yaml", repo / "opskit.yaml")
    monkeypatch.chdir(repo)
    assert opskit("apply", "--target", "jira", "--yes").exit_code == 0
    services = repo / "policies" / "services.yaml"
    services.write_text(
        services.read_text().replace("jira_component: Backup", "jira_component: Backups")
    )
    tiers = repo / "policies" / "tiers.yaml"
    tiers.write_text(
        tiers.read_text().replace("name: Business\n", "name: Business\nretired: true\n", 1)
    )

    kept = opskit("apply", "--target", "jira", "--yes", "--format", "json")
    assert kept.exit_code == 0, kept.output
    [applied] = json.loads(kept.stdout)["targets"]
    assert applied["applied"]["skipped_deletes"] == 2
    assert "Backup" in components(site, "SUP")
    assert tier_options(site)["Business"]["disabled"] is True  # old tickets keep their value

    capped = opskit("apply", "--target", "jira", "--yes", "--prune", "--max-deletes", "1")
    assert capped.exit_code == 1 and "more than --max-deletes 1" in capped.output
    pruned = opskit("apply", "--target", "jira", "--yes", "--prune")
    assert pruned.exit_code == 0, pruned.output
    assert "Backup" not in components(site, "SUP") and "Backups" in components(site, "SUP")


def test_jira_refusal_names_the_policy_object_and_field(site: JIRA) -> None:
    from opskit.providers.jira.provider import JiraProvider
    from opskit.providers.jira.settings import Settings
    from opskit.sync.apply import apply_plan

    target = JiraProvider("northwind", settings=Settings(["SUP"], "SUP", "Support tier"))
    plan = target.plan(example_policy(REPO))
    # Someone takes a component's name in Jira between plan and apply.
    send(site, "POST", "/component", {"name": "Storage API", "project": "SUP"})
    outcome = apply_plan(plan, target.writer())
    assert outcome.failed is not None and outcome.failed.key == "SUP/Storage API"
    assert "name: A component with the name Storage API already exists" in outcome.error
    assert "(from policies/services.yaml:9:7)" in outcome.error


def test_missing_settings_and_credentials_are_clear(
    site: JIRA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JIRA_API_TOKEN")
    missing = opskit("plan", "--target", "jira")
    assert missing.exit_code == 2 and "JIRA_API_TOKEN not set" in missing.output
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    monkeypatch.setenv("JIRA_URL", site.server_url.replace("https://", "http://"))
    plain = opskit("plan", "--target", "jira")
    assert plain.exit_code == 2 and "https://" in plain.output
    monkeypatch.setenv("JIRA_URL", "https://127.0.0.1:9")  # nothing listens there
    down = opskit("plan", "--target", "jira")
    assert down.exit_code == 3 and "cannot reach Jira" in down.output
    for result in (missing, plain, down):
        assert "Traceback" not in result.output and TOKEN not in result.output


def test_sla_config_renders_every_goal_and_holiday() -> None:
    result = opskit("jira", "sla-config", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "# SLA settings for Jira Service Management project SUP" in text
    assert (
        '| [ ] | `"Support tier" = "Premium" AND priority = "Highest"` | 15m | 24/7 Calendar |'
        in text
    )
    # Standard P4 resolves in 2bd... on ten-hour Berlin days, so JSM takes it in hours
    assert "berlin-office" in text and "- [ ] 2026-12-24 Heiligabend (office closed)" in text
    assert "- [ ] 2027-10-03 German Unity Day" in text
    assert "## Metric: Time to next update" in text
    assert (
        "- [ ] Pause counting during: Status: Pending release, Status: Waiting for customer" in text
    )


def test_drift_compares_jsm_sla_goals_with_the_tiers(
    sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo site's hand-set goals (4h for a Premium P2 first response) differ from the policy."""
    sb = sandbox_factory(seed="demo")
    for key, value in {
        "JIRA_URL": sb.url, "JIRA_EMAIL": "anna@northwind.example", "JIRA_API_TOKEN": TOKEN,
        "OPSKIT_CA_BUNDLE": str(sb.ca_path),
    }.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "drift", "--target", "jira", "--format", "json"],
        cwd=REPO, env={**os.environ}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    [plan] = json.loads(done.stdout)["targets"]
    goals = {c["key"]: c for c in plan["changes"] if c["type"] == "sla_goal"}
    premium = goals["Time to first response / Premium / High"]
    assert premium["changes"][0]["after"] == "30m"
    assert premium["changes"][0]["before"].startswith("4h (e.g. SUP-")
    assert premium["source"] == "policies/tiers.yaml:21:24"
    assert any(
        c["type"] == "sla_metric" and c["key"] == "Time to next update" for c in plan["changes"]
    )
    assert TOKEN not in done.stdout + done.stderr


def test_a_site_not_set_up_yet_is_reported_not_half_applied(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in {
        "JIRA_URL": sandbox.url, "JIRA_EMAIL": "anna@northwind.example", "JIRA_API_TOKEN": TOKEN,
        "OPSKIT_CA_BUNDLE": str(sandbox.ca_path),
    }.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(REPO)
    before = len(sandbox.log.snapshot())
    result = opskit("apply", "--target", "jira", "--yes")
    assert result.exit_code == 1, result.output
    for expected in (
        "opskit.yaml: error: Jira project 'SUP' does not exist",
        "opskit.yaml: error: Jira has no custom field 'Support tier'",
        "opskit.yaml: error: service desk 'SUP' does not exist",
        "nothing was applied",
    ):
        assert expected in result.output, expected
    assert all(e.method == "GET" for e in sandbox.log.snapshot()[before:])
