"""Opt-in user creation (targets.pagerduty.create_users): the real client, the sandbox, the CLI."""

from __future__ import annotations

import collections
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from opskit.cli import cli
from opskit.policy.config import load_config
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.validate import validate_files
from opskit.providers.pagerduty.client import Api
from opskit.sandbox import Sandbox
from opskit.sync.apply import TargetError, UnclearWrite
from tests.providers.test_pagerduty_sync import REPO, TOKEN, names, phone, sandbox_account
from tests.sandbox.fixtures import PD_FROM, pd_client_for

# People IT has not set up yet: arjun is in a schedule and a team, fatima is in a
# schedule, leads a team and is paged directly by an escalation policy.
NEWCOMERS = ("arjun", "fatima")
OPT_IN = f"    create_users: true\n    from: {PD_FROM}\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example repository to edit, as the working folder."""
    folder = tmp_path / "repo"
    for name in ("policies", "playbooks"):
        shutil.copytree(REPO / name, folder / name)
    shutil.copy(REPO / "opskit.yaml", folder / "opskit.yaml")
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def account(sandbox: Sandbox, repo: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An account where IT has made users for everyone but the newcomers."""
    client = sandbox_account(sandbox, monkeypatch)
    monkeypatch.setenv("OPSKIT_RETRY_BASE_SECONDS", "0.02")
    monkeypatch.delenv("PAGERDUTY_FROM", raising=False)
    config = load_config(repo / "opskit.yaml", Diagnostics())
    policy = validate_files(config.policy_paths, config).policy
    for person in policy.people.values():
        if person.name in NEWCOMERS:
            continue
        user = {"type": "user", "name": person.full_name, "email": person.email}
        created = client.post("/users", json={"user": user})
        assert created.status_code == 201, created.text
        phone(client, created.json()["user"]["id"])
    return client


def opskit(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert TOKEN not in result.output
    assert "Traceback" not in result.output
    return result


def opt_in(repo: Path, settings: str = OPT_IN) -> None:
    config = repo / "opskit.yaml"
    text = config.read_text()
    anchor = "  pagerduty:\n    enabled: true\n"
    assert anchor in text
    config.write_text(text.replace(anchor, anchor + settings, 1))


def users_by_email(client: Any) -> dict[str, list[dict[str, Any]]]:
    found = collections.defaultdict(list)
    for user in client.get("/users", params={"limit": 100}).json()["users"]:
        found[user["email"]].append(user)
    return found


def posts(sandbox: Sandbox, path: str) -> list[Any]:
    return [e for e in sandbox.log.snapshot() if e.method == "POST" and e.path == path]


def test_without_opt_in_a_missing_person_is_a_plan_error_naming_the_setting(
    account: Any, sandbox: Sandbox
) -> None:
    plan = opskit("plan", "--target", "pagerduty")
    assert plan.exit_code == 1, plan.output
    [line] = [x for x in plan.output.splitlines() if "arjun@northwind.example has no" in x]
    assert line.startswith("policies/people.yaml:")
    assert (
        ": error: arjun@northwind.example has no PagerDuty user: create it in PagerDuty first"
        in line
    )
    assert "targets.pagerduty.create_users: true" in line
    assert "+ user" not in plan.output
    applied = opskit("apply", "--target", "pagerduty", "--yes")
    assert applied.exit_code == 1
    assert "nothing was applied" in applied.output
    assert posts(sandbox, "/users") and not posts(sandbox, "/schedules")  # only the fixture's
    assert "arjun@northwind.example" not in users_by_email(account)


def test_with_opt_in_apply_creates_users_and_what_pages_them(
    account: Any, sandbox: Sandbox, repo: Path
) -> None:
    opt_in(repo)
    plan = opskit("plan", "--target", "pagerduty")
    assert plan.exit_code == 0, plan.output
    assert "+ user 'arjun@northwind.example'" in plan.output
    assert "+ user 'fatima@northwind.example'" in plan.output
    assert '    time_zone: "Asia/Singapore"' in plan.output
    assert "has no PagerDuty user" not in plan.output
    assert "never updates or deletes a user" in plan.output and "--prune" in plan.output
    # the users of the account are not listed one by one as "left alone"
    assert "user 'anna@northwind.example'" not in plan.output
    # and a user made now cannot be woken until they add a phone: said before apply
    assert (
        "arjun is on call but cannot be woken once their PagerDuty user is created" in plan.output
    )
    before = len(posts(sandbox, "/users"))

    applied = opskit("apply", "--target", "pagerduty", "--yes")
    assert applied.exit_code == 0, applied.output
    made = posts(sandbox, "/users")[before:]
    assert len(made) == 2
    assert {e.headers.get("From") for e in made} == {PD_FROM}  # the client's default_from

    users = users_by_email(account)
    [arjun] = users["arjun@northwind.example"]
    [fatima] = users["fatima@northwind.example"]
    assert (arjun["name"], arjun["time_zone"], arjun["role"]) == (
        "Arjun Nair",
        "Asia/Singapore",
        "user",
    )
    assert fatima["description"].startswith("Head of Support Operations;")
    schedule = account.get(f"/schedules/{names(account, '/schedules')['platform-secondary']['id']}")
    layer_users = {u["user"]["id"] for layer in schedule.json()["schedule"]["schedule_layers"] for u in layer["users"]}  # fmt: skip
    assert arjun["id"] in layer_users
    ladder = names(account, "/escalation_policies")["app-support-desk"]
    targets = {t["id"] for rule in ladder["escalation_rules"] for t in rule["targets"]}
    assert fatima["id"] in targets
    team = names(account, "/teams")["app-support"]
    members = account.get(f"/teams/{team['id']}/members").json()["members"]
    assert {m["user"]["id"]: m["role"] for m in members}[fatima["id"]] == "manager"

    again = opskit("plan", "--target", "pagerduty", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "0 to create, 0 to update, 0 to delete" in again.output
    # the readiness check now sees the real user, without a phone
    assert "arjun is on call but cannot be woken: their PagerDuty user has no" in again.output


def test_prune_never_deletes_users_not_even_those_opskit_created(account: Any, repo: Path) -> None:
    opt_in(repo)
    people = repo / "policies" / "people.yaml"
    original = people.read_text()
    newcomer = (
        "\n---\nkind: Person\nname: nora\nfull_name: Nora Berg\n"
        "email: Nora.Berg@northwind.example\ntimezone: Europe/Oslo\n"
    )
    people.write_text(original + newcomer)
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    [nora] = users_by_email(account)["Nora.Berg@northwind.example"]

    people.write_text(original)  # she left the policies; she keeps her PagerDuty user
    plan = opskit("plan", "--target", "pagerduty")
    assert "- user" not in plan.output, plan.output
    pruned = opskit("apply", "--target", "pagerduty", "--yes", "--prune")
    assert pruned.exit_code == 0, pruned.output
    users = users_by_email(account)
    assert [u["id"] for u in users["Nora.Berg@northwind.example"]] == [nora["id"]]
    assert len(users) == 18  # the 15 IT made, the 2 newcomers and nora: none deleted


def test_without_a_from_address_the_plan_is_an_error_and_nothing_is_written(
    account: Any, sandbox: Sandbox, repo: Path
) -> None:
    opt_in(repo, "    create_users: true\n")
    plan = opskit("plan", "--target", "pagerduty")
    assert plan.exit_code == 1, plan.output
    [line] = [x for x in plan.output.splitlines() if "create_users is on" in x]
    assert line.startswith("opskit.yaml:20:5: error:"), line  # at the create_users key
    assert "targets.pagerduty.from" in line and "PAGERDUTY_FROM" in line
    assert "arjun@northwind.example" in line
    writes = len([e for e in sandbox.log.snapshot() if e.method != "GET"])
    applied = opskit("apply", "--target", "pagerduty", "--yes")
    assert applied.exit_code == 1
    assert "the plan has errors; nothing was applied" in applied.output
    assert len([e for e in sandbox.log.snapshot() if e.method != "GET"]) == writes
    assert "arjun@northwind.example" not in users_by_email(account)


def test_the_from_address_may_come_from_the_environment_and_overrides_the_file(
    account: Any, sandbox: Sandbox, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opt_in(repo, "    create_users: true\n    from: nobody@elsewhere.example\n")
    refused = opskit("apply", "--target", "pagerduty", "--yes")
    assert refused.exit_code == 3  # PagerDuty knows no such user: it will not create one
    assert "POST /users: 400 Requester User Not Found" in refused.output
    assert "arjun@northwind.example" not in users_by_email(account)

    monkeypatch.setenv("PAGERDUTY_FROM", "mehmet@northwind.example")
    applied = opskit("apply", "--target", "pagerduty", "--yes")
    assert applied.exit_code == 0, applied.output
    assert posts(sandbox, "/users")[-1].headers.get("From") == "mehmet@northwind.example"
    assert len(users_by_email(account)["arjun@northwind.example"]) == 1


def test_a_user_created_when_the_answer_was_lost_is_found_by_email_not_made_twice(
    account: Any, sandbox: Sandbox, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opt_in(repo)
    real = Api.call
    lost: list[str] = []

    def answer_lost(self: Api, method: str, path: str, **kwargs: Any) -> Any:
        answer = real(self, method, path, **kwargs)
        if (method, path) == ("POST", "/users") and not lost:
            lost.append(answer["user"]["email"])  # it was made; the client never hears so
            raise UnclearWrite("POST /users: cannot reach PagerDuty (ReadError)")
        return answer

    monkeypatch.setattr(Api, "call", answer_lost)
    applied = opskit("apply", "--target", "pagerduty", "--yes")
    assert applied.exit_code == 0, applied.output
    assert lost  # the fault happened
    users = users_by_email(account)
    assert len(users[lost[0]]) == 1 and len(users["fatima@northwind.example"]) == 1
    assert opskit("plan", "--target", "pagerduty", "--detailed-exitcode").exit_code == 0


def test_a_run_that_failed_after_making_users_resumes_without_duplicates(
    account: Any, sandbox: Sandbox, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opt_in(repo)
    real = Api.call

    def teams_down(self: Api, method: str, path: str, **kwargs: Any) -> Any:
        if (method, path) == ("POST", "/teams"):
            raise TargetError("POST /teams: 503 Service Unavailable")
        return real(self, method, path, **kwargs)

    monkeypatch.setattr(Api, "call", teams_down)
    failed = opskit("apply", "--target", "pagerduty", "--yes")
    assert failed.exit_code == 3, failed.output
    assert "Stopped at team" in failed.output
    assert len(users_by_email(account)["arjun@northwind.example"]) == 1

    monkeypatch.setattr(Api, "call", real)
    plan = opskit("plan", "--target", "pagerduty")
    assert "+ user" not in plan.output  # found by email this time
    resumed = opskit("apply", "--target", "pagerduty", "--yes")
    assert resumed.exit_code == 0, resumed.output
    users = users_by_email(account)
    assert all(len(found) == 1 for found in users.values()), users
    assert len(posts(sandbox, "/users")) == 15 + 2


def test_the_sandbox_holds_user_creation_to_pagerduty_rules(sandbox: Sandbox) -> None:
    client = pd_client_for(sandbox)  # From: anna, who opens the account
    body = {"user": {"type": "user", "name": "Anna Köhler", "email": PD_FROM}}
    assert client.post("/users", json=body).status_code == 201
    twin = client.post("/users", json={"user": {**body["user"], "email": PD_FROM.upper()}})
    assert twin.status_code == 400
    assert "Email has already been taken" in twin.json()["error"]["errors"]
    bob = {"user": {"type": "user", "name": "Bob", "email": "bob@northwind.example"}}
    anonymous = client.post("/users", json=bob, headers={"From": ""})
    assert anonymous.status_code == 400 and anonymous.json()["error"]["code"] == 2011
    stranger = client.post("/users", json=bob, headers={"From": "eve@elsewhere.example"})
    assert stranger.status_code == 400
    assert stranger.json()["error"] == {
        "message": "Requester User Not Found",
        "code": 1008,
        "errors": [],
    }
    assert client.post("/users", json=bob).status_code == 201
    listed = client.get("/users", params={"limit": 100}).json()["users"]
    assert sorted(u["email"] for u in listed) == ["anna@northwind.example", "bob@northwind.example"]
