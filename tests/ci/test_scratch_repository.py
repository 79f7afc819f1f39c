"""A policy repository that uses the action as `uses: ./`, run against the sandbox.

The repository is the example (opskit.yaml, policies, playbooks, schemas) with the action
at its root and the shipped policy workflows pointed at it. actionlint checks them against
action.yml; then the action's own step runs validate → plan → apply → drift the way the
runner runs it, against the sandbox's PagerDuty and Jira and a fake GitHub API.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from opskit.sandbox import Sandbox
from opskit.sandbox.demo_site import prepare_jira
from tests.ci.composite import Runner, StepResult, runner_env
from tests.ci.fake_github import FakeGitHub
from tests.ci.test_actionlint import actionlint
from tests.providers.test_jira_site import add_user, example_policy
from tests.providers.test_pagerduty_sync import phone
from tests.sandbox.fixtures import JIRA_EMAIL, jira_client_for, pd_client_for

REPO = Path(__file__).resolve().parents[2]
REPOSITORY = "northwind/support-policies"
PD_KEY = "pd-key-6c1f0e-never-shown"
JIRA_TOKEN = "jira-token-93ad0f-never-shown"
GITHUB_TOKEN = "ghs_token-77e2b4-never-shown"
SECRETS = (PD_KEY, JIRA_TOKEN, GITHUB_TOKEN)
PULL_REQUEST = 7
PR_EVENT = {
    "action": "synchronize",
    "number": PULL_REQUEST,
    "pull_request": {"number": PULL_REQUEST},
}
SCHEDULE_EVENT = {"schedule": "17 6 * * 1-5"}
PUSH_EVENT = {"ref": "refs/heads/main"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The demo's PagerDuty account and Jira site, as scripts/demo.py prepares them."""
    folder = tmp_path_factory.mktemp("site")
    with Sandbox(db=folder / "sandbox.db", seed="demo") as sb:
        prepare_jira(jira_client_for(sb))
        # The customers' organisations were made by hand: adopt them, as the demo does. Their
        # contacts have accepted the portal invitation, so each has a Jira account.
        adopted = subprocess.run(
            [sys.executable, "-m", "opskit", "jira", "adopt", "--yes"],
            cwd=REPO, env={**runner_env(), **target_env(sb)}, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert adopted.returncode == 0, adopted.stderr
        for customer in example_policy(REPO).customers.values():
            for contact in customer.contacts:
                add_user(sb, contact.email, contact.name)
        yield sb


def target_env(sb: Sandbox, url: str | None = None) -> dict[str, str]:
    """What the workflows' `env:` gives the action: the targets and their credentials."""
    return {
        "PAGERDUTY_URL": url or sb.url,
        "PAGERDUTY_API_KEY": PD_KEY,
        "JIRA_URL": url or sb.url,
        "JIRA_EMAIL": JIRA_EMAIL,
        "JIRA_API_TOKEN": JIRA_TOKEN,
        "OPSKIT_CA_BUNDLE": str(sb.ca_path),
        "OPSKIT_RETRY_BASE_SECONDS": "0.01",
    }


def policy_repository(root: Path) -> Path:
    """The example policy repository with the action at its root, committed in git."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("opskit.yaml", "action.yml"):
        shutil.copy2(REPO / name, root / name)
    for name in ("policies", "playbooks", "schemas", "action", "requirements"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for shipped in sorted((REPO / ".github" / "workflows").glob("policy-*.yml")):
        text, uses = re.subn(r"opskit/opskit@v[0-9][0-9.]*", "./", shipped.read_text())
        assert uses, f"{shipped.name} does not use the action"
        (workflows / shipped.name).write_text(text)
    git = ["git", "-c", "user.name=Ops lead", "-c", "user.email=lead@northwind.example",
           "-c", "commit.gpgsign=false"]  # fmt: skip
    subprocess.run(["git", "init", "--quiet", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "policies"], cwd=root, check=True)
    return root


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(REPOSITORY, GITHUB_TOKEN, page_size=2) as fake:
        yield fake


@pytest.fixture
def action(
    tmp_path: Path, site: Sandbox, github: FakeGitHub, watch_sandbox: Callable[[Sandbox], Sandbox]
) -> Runner:
    watch_sandbox(site)  # every exchange this test causes is checked against the vendors' specs
    return Runner(
        policy_repository(tmp_path / "policies-repo"),
        tmp_path / "runner",
        runner_env(GITHUB_API_URL=github.url, GITHUB_REPOSITORY=REPOSITORY),
    )


def run(
    action: Runner, site: Sandbox, event_name: str, event: dict[str, Any], **inputs: str
) -> StepResult:
    result = action.run(
        inputs, event_name=event_name, event=event, github_token=GITHUB_TOKEN, env=target_env(site)
    )
    assert_no_secret(result.everything())
    return result


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def report(result: StepResult) -> dict[str, Any]:
    """opskit's JSON document, as the action saved it: one document for the whole run."""
    text = Path(result.outputs["report"]).read_text()
    assert_no_secret(text)
    document: dict[str, Any] = json.loads(text)
    return document


def plan_comments(github: FakeGitHub) -> list[dict[str, Any]]:
    return [
        c
        for c in github.state.comments.get(PULL_REQUEST, [])
        if c["body"].startswith("<!-- opskit-plan -->")
    ]


def drift_issues(github: FakeGitHub) -> list[dict[str, Any]]:
    return [
        i for i in github.state.issues
        if i["state"] == "open" and "pull_request" not in i
        and any(label["name"] == "opskit-drift" for label in i["labels"])
    ]  # fmt: skip


def test_the_policy_workflows_pass_actionlint_against_the_action(action: Runner) -> None:
    found = actionlint(cwd=action.workspace)
    assert found.returncode == 0, found.stdout + found.stderr


def test_validate_plan_apply_drift_through_the_action(
    action: Runner, site: Sandbox, github: FakeGitHub
) -> None:
    for n in range(3):  # reviewers talk first: the plan comment lands on the second page
        github.add_comment(PULL_REQUEST, f"review note {n}")
    quoting = github.add_comment(PULL_REQUEST, "Why does `<!-- opskit-plan -->` show up?")
    github.add_issue("old drift, fixed", ["opskit-drift"], state="closed")
    github.add_issue("a pull request labelled opskit-drift", ["opskit-drift"], pull_request=True)

    validated = run(action, site, "pull_request", PR_EVENT, command="validate")
    assert validated.code == 0, validated.stdout + validated.stderr
    assert validated.outputs["ok"] == "true" and validated.outputs["errors"] == "0"
    assert "## opskit validate" in validated.summary and "0 errors, 0 warnings" in validated.summary

    # kenji has no phone in PagerDuty yet: strict (the default) makes the plan fail, on his line
    failing = run(
        action, site, "pull_request", PR_EVENT, command="plan", **{"oncall-diff-base": "HEAD"}
    )
    assert failing.code == 1, failing.stdout + failing.stderr
    assert failing.outputs["ok"] == "false" and int(failing.outputs["errors"]) >= 1
    assert (
        "::error file=policies/people.yaml,line=143,col=8,title=opskit pagerduty::kenji"
        in failing.stdout
    )
    [comment] = plan_comments(github)
    assert "cannot be woken" in comment["body"] and "❌" in comment["body"]
    assert not report(failing)["ok"]

    give_a_phone(site, "kenji@northwind.example")
    planned = run(
        action, site, "pull_request", PR_EVENT, command="plan", **{"oncall-diff-base": "HEAD"}
    )
    assert planned.code == 0, planned.stdout + planned.stderr
    document = report(planned)
    assert document["version"] == 1 and document["command"] == "plan" and document["ok"]
    assert [t["target"] for t in document["targets"]] == [
        "pagerduty",
        "jira",
    ]  # every target in opskit.yaml
    totals = document["counts"]
    assert planned.outputs["pending"] == "true" and planned.outputs["ok"] == "true"
    assert planned.outputs["create"] == str(totals["create"]) and totals["create"] > 0
    assert planned.outputs["update"] == str(totals["update"])
    for target in document["targets"]:  # the summary holds each target's counts
        c = target["counts"]
        row = f"| {target['target']} | {c['create']} | {c['update']} | {c['delete']} | {c['unchanged']} | {c['errors']} | {c['warnings']} |"
        assert row in planned.summary
    assert "+ schedule 'cloud-primary'  (policies/rotations.yaml:" in planned.summary
    # SUP's components were made by hand in the demo site (its tickets use them) and adopted;
    # OPS has none yet
    assert "+ component 'OPS/Storage API'" in planned.summary

    [edited] = plan_comments(github)  # the same comment, edited in place
    assert edited["id"] == comment["id"]
    assert len(github.calls("POST")) == 1 and len(github.calls("PATCH")) == 1
    assert planned.outputs["comment-url"] == edited["html_url"]
    assert "❌" not in edited["body"].split("### On-call changes")[0]
    assert "### pagerduty" in edited["body"] and "### jira" in edited["body"]
    assert "### On-call changes" in edited["body"]  # opskit oncall diff, against the base ref
    assert quoting["body"] == "Why does `<!-- opskit-plan -->` show up?"  # not taken for the plan

    applied = run(action, site, "push", PUSH_EVENT, command="apply")
    assert applied.code == 0, applied.stdout + applied.stderr
    done = report(applied)
    assert done["command"] == "apply" and done["ok"]
    assert {t["target"]: t["applied"]["failed"] for t in done["targets"]} == {
        "pagerduty": None,
        "jira": None,
    }
    assert applied.summary.count("Applied: ") == 2
    assert re.search(
        r"✅ Applied to pagerduty \(\d+ created\), jira \(\d+ created, \d+ updated\)\.",
        applied.summary,
    )
    assert len(plan_comments(github)) == 1  # a push is no pull request: nothing posted

    clean = run(
        action, site, "schedule", SCHEDULE_EVENT, command="drift", args="--target pagerduty"
    )
    assert clean.code == 0, clean.stdout + clean.stderr
    assert clean.outputs["drift"] == "false" and "No drift" in clean.summary
    assert [t["target"] for t in report(clean)["targets"]] == ["pagerduty"]
    assert drift_issues(github) == []

    change_by_hand(site, "storage-critical", num_loops=5)
    drifted = run(action, site, "schedule", SCHEDULE_EVENT, command="drift")
    assert drifted.code == 0, drifted.stdout + drifted.stderr  # drift is reported, not a failure
    assert drifted.outputs["drift"] == "true" and drifted.outputs["pending"] == "true"
    assert "~ escalation_policy 'storage-critical'" in drifted.summary
    assert "num_loops: 5 → 2" in drifted.summary
    [issue] = drift_issues(github)
    assert issue["body"].startswith("<!-- opskit-drift -->") and "num_loops: 5 → 2" in issue["body"]
    assert "pagerduty" in issue["title"]
    assert drifted.outputs["issue-url"] == issue["html_url"]

    change_by_hand(site, "storage-critical", num_loops=7)
    again = run(action, site, "schedule", SCHEDULE_EVENT, command="drift")
    assert again.code == 0
    [updated] = drift_issues(github)  # the one open issue, updated
    assert updated["number"] == issue["number"] and "num_loops: 7 → 2" in updated["body"]

    for call in github.state.calls:  # nothing the action sent GitHub holds a secret
        assert_no_secret(json.dumps(call.body))


def test_a_target_that_cannot_be_reached_fails_the_plan(
    action: Runner, site: Sandbox, github: FakeGitHub
) -> None:
    stopped = Sandbox(port=0, db=action.runner_root.parent / "stopped.db").start()
    url = stopped.url
    stopped.stop()  # nothing listens there any more

    result = action.run(
        {"command": "plan"}, event_name="pull_request", event=PR_EVENT, github_token=GITHUB_TOKEN,
        env={**target_env(site, url), "OPSKIT_CA_BUNDLE": str(stopped.ca_path)},
    )  # fmt: skip
    assert_no_secret(result.everything())
    assert result.code == 3, result.stdout + result.stderr
    assert result.outputs["exit-code"] == "3" and result.outputs["ok"] == "false"
    assert "A target failed" in result.summary
    [comment] = plan_comments(github)  # reviewers see why the check failed
    assert "A target failed" in comment["body"]


def test_invalid_policies_fail_the_plan_with_their_positions(
    tmp_path: Path, site: Sandbox, github: FakeGitHub, watch_sandbox: Callable[[Sandbox], Sandbox]
) -> None:
    watch_sandbox(site)  # the targets are read while the policies are checked
    # the policy repository lives in a folder of a larger repository: annotations name the
    # files from the repository's root
    workspace = tmp_path / "monorepo"
    policy_repository(workspace / "ops")
    shutil.copy2(REPO / "action.yml", workspace / "action.yml")
    shutil.copytree(
        REPO / "action", workspace / "action", ignore=shutil.ignore_patterns("__pycache__")
    )
    services = workspace / "ops" / "policies" / "services.yaml"
    services.write_text(
        services.read_text().replace("ladder: storage-standard", "ladder: storage-standrd", 1)
    )
    runner = Runner(
        workspace,
        tmp_path / "runner",
        runner_env(GITHUB_API_URL=github.url, GITHUB_REPOSITORY=REPOSITORY),
    )

    result = runner.run(
        {"command": "plan", "working-directory": "ops"}, event_name="pull_request", event=PR_EVENT,
        github_token=GITHUB_TOKEN, env=target_env(site),
    )  # fmt: skip
    assert_no_secret(result.everything())
    assert result.code == 1, result.stdout + result.stderr
    assert result.outputs["ok"] == "false"
    assert "storage-standrd" in result.summary and "policies/services.yaml:" in result.summary
    assert "❌ The policies have 1 error; nothing was planned." in result.summary
    annotated = r"^::error file=ops/policies/services\.yaml,line=35,col=\d+,title=ref-unknown::"
    assert re.search(annotated, result.stdout, re.M)
    [comment] = plan_comments(github)
    assert "storage-standrd" in comment["body"]

    validated = runner.run(
        {"command": "validate", "working-directory": "ops"}, event_name="pull_request",
        event=PR_EVENT, github_token=GITHUB_TOKEN, env=target_env(site),
    )  # fmt: skip
    assert validated.code == 1 and validated.outputs["errors"] == "1"
    assert re.search(
        r"^::error file=ops/policies/services\.yaml,line=35,col=\d+,title=ref-unknown::",
        validated.stdout,
        re.M,
    )
    assert re.search(
        r"\| `policies/services\.yaml:35:\d+` \| error \| `ref-unknown` \| .*storage-standrd",
        validated.summary,
    )


def test_an_unknown_command_is_refused_before_anything_runs(
    action: Runner, site: Sandbox, github: FakeGitHub
) -> None:
    result = run(action, site, "pull_request", PR_EVENT, command="destroy")
    assert result.code == 2
    assert (
        "::error::opskit action: command must be one of validate, plan, apply, drift"
        in result.stdout
    )
    assert github.state.calls == []


def give_a_phone(sb: Sandbox, email: str) -> None:
    """What the person does on their first on-call week: a phone, and a rule to call it."""
    client = pd_client_for(sb)
    [user] = [u for u in client.list_all("users", params={"query": email}) if u["email"] == email]
    phone(client, user["id"])


def change_by_hand(sb: Sandbox, ladder: str, **fields: Any) -> None:
    client = pd_client_for(sb)
    [policy] = [p for p in client.list_all("escalation_policies") if p["name"] == ladder]
    client.rput(
        f"escalation_policies/{policy['id']}", json={"escalation_policy": {**policy, **fields}}
    )
