"""PagerDuty sync end to end: the real client, the sandbox, the CLI as users run it."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from opskit.cli import cli
from opskit.oncall import render
from opskit.policy.config import load_config
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.validate import validate_files
from opskit.providers.pagerduty.times import parse
from opskit.sandbox import Sandbox
from opskit.time import zones
from tests.sandbox.fixtures import pd_client_for
from tests.sla.site import copy_example

REPO = Path(__file__).resolve().parents[2]
TOKEN = "u+sandbox-secret-token-4242"


def sandbox_account(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Any:
    """opskit pointed at the sandbox as a user points it at PagerDuty (the environment), and
    a client of the same account for the test's own reads and writes."""
    monkeypatch.setenv("PAGERDUTY_API_KEY", TOKEN)
    monkeypatch.setenv("PAGERDUTY_URL", sandbox.url)
    monkeypatch.setenv("OPSKIT_CA_BUNDLE", str(sandbox.ca_path))
    return pd_client_for(sandbox, TOKEN)


@pytest.fixture
def account(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An account where IT has created a user for everyone in the example policies."""
    client = sandbox_account(sandbox, monkeypatch)
    monkeypatch.chdir(REPO)
    create_users(client)
    return client


def create_users(client: Any) -> None:
    """What IT does on someone's first day: opskit links people to users, it does not make them."""
    config = load_config(REPO / "opskit.yaml", Diagnostics())
    policy = validate_files(config.policy_paths, config).policy
    for person in policy.people.values():
        user = {
            "type": "user",
            "name": person.full_name,
            "email": person.email,
            "time_zone": person.timezone,
        }
        created = client.post("/users", json={"user": user})
        assert created.status_code == 201
        if person.name != UNREACHABLE:
            phone(client, created.json()["user"]["id"])


UNREACHABLE = "kenji"  # has a user, but never set up a phone


def phone(client: Any, user_id: str) -> None:
    method = {
        "type": "phone_contact_method",
        "label": "Mobile",
        "address": "5550100",
        "country_code": 49,
    }
    answer = client.post(f"/users/{user_id}/contact_methods", json={"contact_method": method})
    reference = {
        "id": answer.json()["contact_method"]["id"],
        "type": "phone_contact_method_reference",
    }
    rule = {
        "type": "assignment_notification_rule",
        "start_delay_in_minutes": 0,
        "urgency": "high",
        "contact_method": reference,
    }
    assert (
        client.post(
            f"/users/{user_id}/notification_rules", json={"notification_rule": rule}
        ).status_code
        == 201
    )


def opskit(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def names(client: Any, path: str) -> dict[str, dict[str, Any]]:
    key = path.strip("/")
    return {item["name"]: item for item in client.get(path, params={"limit": 100}).json()[key]}


def test_apply_then_plan_shows_nothing_and_hand_made_objects_survive(
    account: Any, tmp_path: Path
) -> None:
    hand_made = {"escalation_policy": {"type": "escalation_policy", "name": "Legacy NOC", "escalation_rules": [
        {"escalation_delay_in_minutes": 30, "targets": [{"type": "user_reference", "id": account.get("/users").json()["users"][0]["id"]}]}
    ]}}  # fmt: skip
    assert account.post("/escalation_policies", json=hand_made).status_code == 201

    first = opskit("plan", "--target", "pagerduty", "--detailed-exitcode")
    assert first.exit_code == 1, first.output
    assert "+ schedule 'cloud-primary'" in first.output
    assert "Left alone" in first.output and "'Legacy NOC'" in first.output

    applied = opskit("apply", "--target", "pagerduty", "--yes", "--prune")
    assert applied.exit_code == 0, applied.output
    assert "Applied to pagerduty:" in applied.output

    again = opskit("plan", "--target", "pagerduty", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "0 to create, 0 to update, 0 to delete" in again.output
    assert "Legacy NOC" in names(account, "/escalation_policies")

    schedules = names(account, "/schedules")
    assert "managed-by: opskit/northwind" in schedules["cloud-primary"]["description"]
    services = names(account, "/services")
    ladder = names(account, "/escalation_policies")["storage-critical"]
    assert services["storage-api"]["escalation_policy"]["id"] == ladder["id"]
    assert ladder["num_loops"] == 2

    for result in (first, applied, again):
        assert TOKEN not in result.output


def test_drift_reports_a_hand_edit_and_apply_restores_it(account: Any) -> None:
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    ladder = names(account, "/escalation_policies")["storage-critical"]
    ladder["num_loops"] = 5
    assert (
        account.put(
            f"/escalation_policies/{ladder['id']}", json={"escalation_policy": ladder}
        ).status_code
        == 200
    )

    drift = opskit("drift", "--target", "pagerduty")
    assert drift.exit_code == 1
    assert "~ escalation_policy 'storage-critical'" in drift.output
    assert "num_loops: 5 → 2" in drift.output

    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    clean = opskit("drift", "--target", "pagerduty", "--format", "json")
    assert clean.exit_code == 0
    assert all(c["action"] == "unchanged" for c in json.loads(clean.stdout)["targets"][0]["changes"])


def test_saved_plan_is_refused_once_the_account_changed(account: Any, tmp_path: Path) -> None:
    saved = tmp_path / "plan.json"
    made = opskit("plan", "--target", "pagerduty", "--out", str(saved))
    assert made.exit_code == 0
    assert TOKEN not in saved.read_text()
    team = {"team": {"type": "team", "name": "storage", "description": "made by hand meanwhile"}}
    assert account.post("/teams", json=team).status_code == 201

    stale = opskit("apply", str(saved), "--yes")
    assert stale.exit_code == 3
    assert "changed since this plan was made" in stale.output
    assert names(account, "/schedules") == {}  # nothing was written


def test_deletes_are_capped(account: Any) -> None:
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    refused = opskit("apply", "--target", "pagerduty", "--yes", "--prune", "--max-deletes", "0")
    assert refused.exit_code == 0  # nothing to delete yet: the cap is not reached
    policies = names(account, "/escalation_policies")
    stray = {**policies["major-incident"], "name": "old-ladder"}
    stray.pop("id")
    assert (
        account.post("/escalation_policies", json={"escalation_policy": stray}).status_code == 201
    )
    capped = opskit("apply", "--target", "pagerduty", "--yes", "--prune", "--max-deletes", "0")
    assert capped.exit_code == 1
    assert "more than --max-deletes 0" in capped.output
    assert "old-ladder" in names(account, "/escalation_policies")
    pruned = opskit("apply", "--target", "pagerduty", "--yes", "--prune")
    assert pruned.exit_code == 0
    assert "old-ladder" not in names(account, "/escalation_policies")


def on_call(client: Any, schedule_id: str, at: dt.datetime) -> str:
    until = at + dt.timedelta(minutes=1)
    params = {"since": at.isoformat(), "until": until.isoformat()}
    entries = client.get(f"/schedules/{schedule_id}", params=params).json()["schedule"][
        "final_schedule"
    ]
    return str(entries["rendered_schedule_entries"][0]["user"]["id"])


def test_changing_members_keeps_whoever_is_on_call_now(
    account: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "policies", repo / "policies")
    shutil.copytree(REPO / "playbooks", repo / "playbooks")
    shutil.copy(REPO / "opskit.yaml", repo / "opskit.yaml")
    monkeypatch.chdir(repo)
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    schedule = names(account, "/schedules")["manager-on-duty"]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    before = on_call(account, schedule["id"], now)

    rotations = repo / "policies" / "rotations.yaml"
    text = rotations.read_text()
    layer = re.search(r"- name: Managers\n\s+members: \[([^\]]*)\]", text)
    assert layer is not None
    members = layer.group(1).split(", ")
    changed = ", ".join(reversed(members))  # the same people dealt in another order
    text = text[: layer.start(1)] + changed + text[layer.end(1) :]
    # and a later handoff: also a new deal of turns, which must wait for the next handoff too
    managers = text.index("- name: Managers")
    handoff = text.index('handoff: "09:00"', managers)
    rotations.write_text(
        text[:handoff] + 'handoff: "11:00"' + text[handoff + len('handoff: "09:00"') :]
    )
    plan = opskit("plan", "--target", "pagerduty")
    assert "~ schedule 'manager-on-duty'" in plan.output, plan.output
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0

    assert on_call(account, schedule["id"], now) == before
    assert opskit("plan", "--target", "pagerduty", "--detailed-exitcode").exit_code == 0
    layers = account.get(f"/schedules/{schedule['id']}").json()["schedule"]["schedule_layers"]
    ending = [layer for layer in layers if layer.get("end")]
    assert len(ending) == 1  # the old layer hands over at its next turn, not now
    handoff = dt.datetime.fromisoformat(ending[0]["end"].replace("Z", "+00:00"))
    assert now < handoff <= now + dt.timedelta(weeks=1)


def overrides(client: Any, schedule_id: str) -> list[dict[str, Any]]:
    window = {"since": "2026-01-01T00:00:00Z", "until": "2028-01-01T00:00:00Z"}
    return list(
        client.get(f"/schedules/{schedule_id}/overrides", params=window).json()["overrides"]
    )


def test_declared_overrides_are_managed_and_hand_made_ones_are_never_wiped(account: Any) -> None:
    assert opskit("apply", "--target", "pagerduty", "--yes", "--prune").exit_code == 0
    schedule = names(account, "/schedules")["cloud-primary"]
    [declared] = overrides(account, schedule["id"])
    users = {
        u["id"]: u["email"] for u in account.get("/users", params={"limit": 100}).json()["users"]
    }
    assert users[declared["user"]["id"]] == "mehmet@northwind.example"

    # A colleague covers a sick day by hand, overlapping the declared Christmas Eve swap.
    sick_day = {"overrides": [{"start": "2026-12-24T10:00:00Z", "end": "2026-12-24T12:00:00Z",
                               "user": {"id": declared["user"]["id"], "type": "user_reference"}}]}  # fmt: skip
    [answer] = account.post(f"/schedules/{schedule['id']}/overrides", json=sick_day).json()
    assert answer["status"] == 201

    plan = opskit("plan", "--target", "pagerduty")
    assert (
        "Left alone" in plan.output
        and "override 'cloud-primary:mehmet@northwind.example@2026-12-24T10:00:00Z" in plan.output
    )
    assert "was made by hand in PagerDuty and overlaps the declared one" in plan.output
    assert opskit("apply", "--target", "pagerduty", "--yes", "--prune").exit_code == 0
    assert len(overrides(account, schedule["id"])) == 2  # both still there


def test_priorities_missing_from_the_account_are_reported_at_their_definition(
    account: Any, sandbox: Sandbox
) -> None:
    for doc in sandbox.store.all("pd.priority"):
        if doc["name"] == "P4":
            sandbox.store.delete("pd.priority", doc["id"])
    plan = opskit("plan", "--target", "pagerduty")
    [line] = [line for line in plan.output.splitlines() if "no priority 'P4'" in line]
    assert (
        line.startswith("policies/priorities.yaml:")
        and ": warning: PagerDuty has no priority 'P4'" in line
    )


def test_people_who_cannot_be_woken_are_reported_and_strict_refuses(account: Any) -> None:
    plan = opskit("plan", "--target", "pagerduty")
    [line] = [line for line in plan.output.splitlines() if "cannot be woken" in line]
    assert (
        line.startswith("policies/people.yaml:")
        and ": warning: kenji is on call but cannot be woken" in line
    )
    assert plan.exit_code == 0
    strict = opskit("apply", "--target", "pagerduty", "--yes", "--strict")
    assert strict.exit_code == 1
    assert "error: kenji is on call but cannot be woken" in strict.output
    assert names(account, "/schedules") == {}  # refused before writing anything


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_every_synced_field_of_every_kind_is_updated(
    account: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = copy_example(tmp_path / "repo")
    monkeypatch.chdir(repo)
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0

    p = repo / "policies"
    edit(
        p / "teams.yaml", "  Object storage, file sync", "  Storage (renamed scope), file sync"
    )  # team description
    edit(
        p / "teams.yaml",
        "members: [priya, fatima, zofia, rachel, grace]",
        "members: [priya, fatima, zofia, rachel, grace, kenji]",
    )  # membership
    edit(
        p / "rotations.yaml",
        "name: manager-on-duty\ndescription: ",
        "name: manager-on-duty\ndescription: Escalation point of last resort. ",
    )
    edit(p / "ladders.yaml", "team: storage\nrepeat: 1", "team: storage\nrepeat: 2")  # num_loops
    edit(
        p / "ladders.yaml",
        "      - rotation: manager-on-duty\n    escalate_after: 30m",
        "      - rotation: manager-on-duty\n    escalate_after: 25m",
    )  # delay
    edit(p / "services.yaml", "acknowledge_timeout: 2h", "acknowledge_timeout: 3h")  # timeout
    edit(p / "services.yaml", "auto_resolve_timeout: 1d", "auto_resolve_timeout: null")  # off
    edit(
        p / "services.yaml", "S3-compatible object storage API", "S3 object storage API"
    )  # service description
    plan = opskit("plan", "--target", "pagerduty")
    for expected in ("~ team 'storage'", "+ membership 'app-support/kenji@northwind.example'", "~ schedule 'manager-on-duty'",
                     "num_loops: 1 → 2", "~ service 'backup'", "acknowledgement_timeout: 7200 → 10800", "~ service 'storage-api'"):  # fmt: skip
        assert expected in plan.output, (expected, plan.output)
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    assert opskit("plan", "--target", "pagerduty", "--detailed-exitcode").exit_code == 0

    ladder = names(account, "/escalation_policies")["storage-standard"]
    assert (
        ladder["num_loops"] == 2
        and ladder["escalation_rules"][2]["escalation_delay_in_minutes"] == 25
    )
    backup = names(account, "/services")["backup"]
    assert backup["acknowledgement_timeout"] == 10800
    assert backup.get("auto_resolve_timeout") is None  # said as 0: left out, PagerDuty keeps it
    assert names(account, "/teams")["storage"]["description"].startswith("Storage (renamed scope),")


def test_apply_without_a_terminal_needs_yes_and_json_is_one_document(account: Any) -> None:
    refused = opskit("apply", "--target", "pagerduty")
    assert refused.exit_code == 2
    assert "pass --yes to apply without a terminal" in refused.output
    assert names(account, "/schedules") == {}
    done = CliRunner().invoke(cli, ["apply", "--target", "pagerduty", "--yes", "--format", "json"])
    assert done.exit_code == 0
    report = json.loads(done.stdout)
    assert report["command"] == "apply" and report["ok"] is True
    [target] = report["targets"]
    assert target["applied"]["done"]["create"] > 30 and target["applied"]["failed"] is None
    assert target["target"] == "pagerduty"
    assert report["counts"]["create"] == target["counts"]["create"] > 30
    # off a terminal, a long apply reports progress on stderr, never in the document
    assert f"pagerduty: {target['counts']['create']}/{target['counts']['create']} changes applied" in done.stderr


def events_integrations(client: Any, service_id: str) -> list[dict[str, Any]]:
    service = client.get(f"/services/{service_id}", params={"include[]": "integrations"})
    return [
        i for i in service.json()["service"]["integrations"]
        if i["type"].removesuffix("_reference") == "events_api_v2_inbound_integration"
    ]  # fmt: skip


def test_every_service_can_be_paged_and_a_missing_integration_is_drift(account: Any) -> None:
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    services = names(account, "/services")
    for service in services.values():
        [integration] = events_integrations(account, service["id"])
        assert len(integration["integration_key"]) == 32
    # a service made before opskit added integrations (or by hand, with the marker)
    old = services["backup"]
    assert account.delete(f"/services/{old['id']}").status_code == 204
    body = {k: old[k] for k in ("name", "description", "escalation_policy",
                                "acknowledgement_timeout", "auto_resolve_timeout",
                                "incident_urgency_rule")}  # fmt: skip
    made = account.post("/services", json={"service": {"type": "service", **body}})
    assert made.status_code == 201
    drift = opskit("drift", "--target", "pagerduty")
    assert drift.exit_code == 1 and "~ service 'backup'" in drift.output
    assert "events_api_v2: false → true" in drift.output
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    assert len(events_integrations(account, made.json()["service"]["id"])) == 1
    again = opskit("plan", "--target", "pagerduty", "--detailed-exitcode")
    assert again.exit_code == 0, again.output


def final_schedule(client: Any, schedule_id: str, since: dt.datetime, days: int) -> list[Any]:
    params = {"since": since.isoformat(), "until": (since + dt.timedelta(days=days)).isoformat()}
    schedule = client.get(f"/schedules/{schedule_id}", params=params).json()["schedule"]
    return [(e["start"], e["end"], e["user"]["id"])
            for e in schedule["final_schedule"]["rendered_schedule_entries"]]  # fmt: skip


def test_a_handing_over_layer_keeps_its_rank_on_later_edits(
    account: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EMEA and Americas overlap 15:00-18:00 Berlin, where Americas (the higher layer) is on
    call. After an EMEA member change the old EMEA layer hands over at its next handoff;
    a later edit of the schedule must not lift it above Americas."""
    repo = copy_example(tmp_path / "repo")
    monkeypatch.chdir(repo)
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    schedule = names(account, "/schedules")["app-support-desk"]
    rotations = repo / "policies" / "rotations.yaml"
    edit(rotations, "members: [zofia, priya]", "members: [priya, zofia]")
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    handed_over = final_schedule(account, schedule["id"], now, 14)

    edit(rotations, "Application support desk, business hours", "Application support, hours")
    plan = opskit("plan", "--target", "pagerduty")
    assert "~ schedule 'app-support-desk'" in plan.output
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    assert final_schedule(account, schedule["id"], now, 14) == handed_over
    layers = account.get(f"/schedules/{schedule['id']}").json()["schedule"]["schedule_layers"]
    # highest first: Americas, then the new EMEA layer, then the EMEA layer handing over
    assert [bool(layer.get("end")) for layer in layers] == [False, False, True]
    assert opskit("plan", "--target", "pagerduty", "--detailed-exitcode").exit_code == 0


def test_the_plan_shows_who_a_member_change_pages_from_its_handoff(
    account: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Layers compare field by field, but what a reviewer must see is who will be paged:
    a member change pages the new order only from the layer's next handoff."""
    repo = copy_example(tmp_path / "repo")
    monkeypatch.chdir(repo)
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    edit(repo / "policies" / "rotations.yaml", "members: [zofia, priya]", "members: [priya, zofia]")
    plan = opskit("plan", "--target", "pagerduty", "--format", "json")
    [target] = [t for t in json.loads(plan.output)["targets"] if t["target"] == "pagerduty"]
    [change] = [
        c for c in target["changes"] if (c["type"], c["key"]) == ("schedule", "app-support-desk")
    ]
    paged = {f["name"]: f for f in change["changes"]}["paged"]
    # the EMEA desk hands over on Monday 08:00 Berlin: nothing changes before then
    now = dt.datetime.now(dt.UTC)
    berlin = now.astimezone(ZoneInfo("Europe/Berlin"))
    monday = (berlin + dt.timedelta(days=7 - berlin.weekday())).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    if berlin.weekday() == 0 and berlin.hour < 8:
        monday -= dt.timedelta(days=7)
    first = monday.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%MZ")
    assert paged["before"].startswith(f"from {first}: zofia@northwind.example until ")
    assert paged["after"].startswith(f"from {first}: priya@northwind.example until ")
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    assert opskit("plan", "--target", "pagerduty", "--detailed-exitcode").exit_code == 0


def test_a_roster_change_continues_the_order_and_pages_whom_the_policy_says(
    account: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sofia joins the platform engineers. Without the old list kept, every turn is dealt
    again and the plan says so, with the lines to paste; with them, whoever is on call
    keeps the turn, the order continues, and PagerDuty pages whom the policy says for
    every hour of the next 13 weeks."""
    repo = copy_example(tmp_path / "repo")
    monkeypatch.chdir(repo)
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    rotations = repo / "policies" / "rotations.yaml"
    old, new = "members: [chioma, daniel, arjun, lukas]", "members: [chioma, daniel, arjun, sofia, lukas]"
    edit(rotations, old, new)
    redealt = opskit("plan", "--target", "pagerduty")
    [warning] = [line for line in redealt.output.splitlines() if "dealt again" in line]
    assert "layer 'Platform engineers': its members change" in warning
    suggested = warning.split("in the layer: ", 1)[1]
    assert suggested.endswith("before: [chioma, daniel, arjun, lukas]}]")
    edit(rotations, new, f"{new}\n    {suggested}")

    plan = opskit("plan", "--target", "pagerduty")
    assert "dealt again" not in plan.output
    [note] = [line for line in plan.output.splitlines() if "layer 'Platform engineers' after" in line]
    assert note.split(": ", 2)[2].count(",") == 4  # all five, in the order they take turns
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    assert opskit("plan", "--target", "pagerduty", "--detailed-exitcode").exit_code == 0

    said = pages_as_the_policy_says(account, repo, "platform-secondary")
    assert len({who for _, _, who in said}) == 5


def pages_as_the_policy_says(client: Any, repo: Path, name: str) -> list[tuple[int, int, str]]:
    """PagerDuty's final schedule of the next 13 weeks is the policy's rendering (from now:
    PagerDuty starts an edited layer at the edit); the rendering, by person."""
    config = load_config(repo / "opskit.yaml", Diagnostics())
    rotation = validate_files(config.policy_paths, config).policy.rotations[name]
    since = dt.datetime.now(dt.UTC).replace(microsecond=0)
    lo, hi = zones.from_datetime(since), zones.from_datetime(since + dt.timedelta(weeks=13))
    emails = {p.email.lower(): p.name for p in rotation.people}
    schedule = names(client, "/schedules")[name]
    paged = [
        (zones.from_datetime(parse(s)), zones.from_datetime(parse(e)), emails[user_email(client, u)])
        for s, e, u in final_schedule(client, schedule["id"], since, 91)
    ]
    said = [(s.start, s.end, s.person) for s in render.render(rotation, lo, hi)]
    assert paged == said
    return said


def user_email(client: Any, user_id: str) -> str:
    return str(client.get(f"/users/{user_id}").json()["user"]["email"]).lower()


def test_a_new_schedule_pages_the_old_list_until_a_roster_change_ahead(
    account: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A schedule created before its roster change takes effect pages the list before it
    until then: it is made with a layer for that list, ending at the change."""
    repo = copy_example(tmp_path / "repo")
    monkeypatch.chdir(repo)
    ahead = dt.date.today() + dt.timedelta(days=15)
    edit(
        repo / "policies" / "rotations.yaml",
        "members: [chioma, daniel, arjun, lukas]",
        "members: [chioma, daniel, arjun, sofia, lukas]\n"
        f'    roster_changes: [{{at: "{ahead}", before: [chioma, daniel, arjun, lukas]}}]',
    )
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    assert opskit("plan", "--target", "pagerduty", "--detailed-exitcode").exit_code == 0
    said = pages_as_the_policy_says(account, repo, "platform-secondary")
    assert len({who for _, _, who in said}) == 5


def holiday_overrides_on(repo: Path) -> None:
    edit(repo / "opskit.yaml", "  pagerduty:\n    enabled: true\n", "  pagerduty:\n    enabled: true\n    holiday_overrides: true\n")


def paged_hours(client: Any, rotation: Any, since: dt.datetime) -> dict[int, str]:
    """Who PagerDuty pages at the start of each hour of the next 13 weeks, by name."""
    emails = {p.email.lower(): p.name for p in rotation.people}
    schedule = names(client, "/schedules")[rotation.name]
    users = {u["id"]: u["email"].lower() for u in client.get("/users", params={"limit": 100}).json()["users"]}
    out: dict[int, str] = {}
    for s, e, u in final_schedule(client, schedule["id"], since, 91):
        for t in range(zones.from_datetime(parse(s)), zones.from_datetime(parse(e))):
            if t % 3600 == 0:
                out[t] = emails[users[u]]
    return out


def said_hours(rotation: Any, since: dt.datetime) -> dict[int, str]:
    lo = zones.from_datetime(since)
    out: dict[int, str] = {}
    for s in render.render(rotation, lo, lo + 91 * zones.DAY):
        out.update((t, s.person) for t in range(-(-s.start // 3600) * 3600, s.end, 3600))
    return out


def test_holiday_overrides_page_whom_the_calendars_say_and_go_when_unwanted(
    account: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = copy_example(tmp_path / "repo")
    monkeypatch.chdir(repo)
    holiday_overrides_on(repo)
    plan = opskit("plan", "--target", "pagerduty")
    assert "PagerDuty has no holidays; the layer stays active" not in plan.output
    assert "an override cannot page nobody" in plan.output  # New Year's Day: both offices shut
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    assert opskit("plan", "--target", "pagerduty", "--detailed-exitcode").exit_code == 0

    config = load_config(repo / "opskit.yaml", Diagnostics())
    rotation = validate_files(config.policy_paths, config).policy.rotations["app-support-desk"]
    since = dt.datetime.now(dt.UTC).replace(microsecond=0)
    paged, said = paged_hours(account, rotation, since), said_hours(rotation, since)
    # every hour the policy has someone on call, PagerDuty pages that person
    assert {t: who for t, who in paged.items() if t in said} == said
    schedule = names(account, "/schedules")["app-support-desk"]
    made = account.get(f"/schedules/{schedule['id']}/overrides", params={
        "since": since.isoformat(), "until": (since + dt.timedelta(days=91)).isoformat(),
    }).json()["overrides"]  # fmt: skip
    assert len(made) > 1  # the declared swap and at least one holiday
    assert "holiday overrides by opskit: " in schedule["description"]

    # turned off, the overrides opskit made go, without --prune
    edit(repo / "opskit.yaml", "    holiday_overrides: true\n", "")
    plan = opskit("plan", "--target", "pagerduty")
    assert "- override 'app-support-desk:" in plan.output
    assert "kept without --prune" not in plan.output
    assert opskit("apply", "--target", "pagerduty", "--yes").exit_code == 0
    assert opskit("plan", "--target", "pagerduty", "--detailed-exitcode").exit_code == 0
    left = account.get(f"/schedules/{schedule['id']}/overrides", params={
        "since": since.isoformat(), "until": (since + dt.timedelta(days=91)).isoformat(),
    }).json()["overrides"]  # fmt: skip
    assert len(left) == 1  # the declared swap only
