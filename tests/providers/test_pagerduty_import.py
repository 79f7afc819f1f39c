"""Import: objects made by hand become policy YAML, adopted, and plan clean right after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from opskit.cli import cli
from opskit.sandbox import Sandbox
from tests.providers.test_pagerduty_sync import TOKEN, names
from tests.sandbox.fixtures import pd_client_for

BASE = """\
# yaml-language-server: $schema=../schemas/policy.schema.json
kind: Priority
name: P1
level: 1
title: Critical
urgency: high
---
kind: SlaTier
name: premium
calendar: 24x7
targets:
  P1: {first_response: 15m, resolution: 4h}
"""


def user(client: Any, name: str, tz: str) -> str:
    body = {
        "user": {
            "type": "user",
            "name": name.title(),
            "email": f"{name}@acme.example",
            "time_zone": tz,
        }
    }
    return str(client.post("/users", json=body).json()["user"]["id"])


def ref(kind: str, rid: str) -> dict[str, str]:
    return {"id": rid, "type": f"{kind}_reference"}


@pytest.fixture
def hand_made(sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    client = pd_client_for(sandbox, TOKEN)
    ana, ben, cho, dev = (user(client, n, tz) for n, tz in
                          [("ana", "Europe/Berlin"), ("ben", "Europe/Berlin"), ("cho", "Asia/Tokyo"), ("dev", "America/Chicago")])  # fmt: skip
    team = client.post(
        "/teams",
        json={"team": {"type": "team", "name": "Storage Ops", "description": "Storage on-call"}},
    ).json()["team"]
    for uid, role in ((ana, "manager"), (ben, "responder"), (cho, "responder"), (dev, "observer")):
        assert client.put(f"/teams/{team['id']}/users/{uid}", json={"role": role}).status_code in (
            200,
            204,
        )
    weekly = {
        "name": "Weekly",
        "start": "2026-03-02T08:00:00Z",
        "rotation_virtual_start": "2026-03-02T08:00:00Z",
        "rotation_turn_length_seconds": 604800,
        "users": [{"user": ref("user", u)} for u in (ana, ben, cho)],
    }
    weekend = {"name": "Weekend cover", "start": "2026-03-07T08:00:00Z", "rotation_virtual_start": "2026-03-07T08:00:00Z",
               "rotation_turn_length_seconds": 86400, "users": [{"user": ref("user", u)} for u in (cho, ben)],
               "restrictions": [{"type": "weekly_restriction", "start_day_of_week": d, "start_time_of_day": "09:00:00",
                                 "duration_seconds": 28800} for d in (6, 7)]}  # fmt: skip
    schedule = client.post("/schedules", json={"schedule": {"type": "schedule", "name": "storage-primary", "time_zone": "Europe/Berlin",
                                                            "description": "Primary", "schedule_layers": [weekly, weekend]}}).json()["schedule"]  # fmt: skip
    policy = client.post("/escalation_policies", json={"escalation_policy": {
        "type": "escalation_policy", "name": "Storage escalation", "num_loops": 2, "teams": [ref("team", team["id"])],
        "escalation_rules": [{"escalation_delay_in_minutes": 5, "targets": [ref("schedule", schedule["id"])]},
                             {"escalation_delay_in_minutes": 10, "targets": [ref("user", dev)]}]}}).json()["escalation_policy"]  # fmt: skip
    client.post("/services", json={"service": {
        "type": "service", "name": "object-store", "description": "S3 API", "escalation_policy": ref("escalation_policy", policy["id"]),
        "acknowledgement_timeout": 1800, "teams": [ref("team", team["id"])],
        "incident_urgency_rule": {"type": "use_support_hours", "during_support_hours": {"type": "constant", "urgency": "high"},
                                  "outside_support_hours": {"type": "constant", "urgency": "low"}},
        "support_hours": {"type": "fixed_time_per_day", "time_zone": "Europe/Berlin", "days_of_week": [1, 2, 3, 4, 5],
                          "start_time": "08:00:00", "end_time": "18:00:00"},
        "scheduled_actions": [{"type": "urgency_change", "at": {"type": "named_time", "name": "support_hours_start"}, "to_urgency": "high"}]}})  # fmt: skip
    repo = tmp_path / "repo"
    (repo / "policies").mkdir(parents=True)
    (repo / "opskit.yaml").write_text(
        "workspace: acme\npolicies: [policies]\ntargets: {pagerduty: {}}\n"
    )
    (repo / "policies" / "base.yaml").write_text(BASE)
    for key, value in {
        "PAGERDUTY_API_KEY": TOKEN,
        "PAGERDUTY_URL": sandbox.url,
        "OPSKIT_CA_BUNDLE": str(sandbox.ca_path),
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(repo)
    return client


def opskit(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_import_everything_then_plan_shows_no_changes(hand_made: Any) -> None:
    dry = opskit("import", "--target", "pagerduty", "--all", "--tier", "premium", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Would adopt:" in dry.output and not Path("policies/imported").exists()

    done = opskit("import", "--target", "pagerduty", "--all", "--tier", "premium")
    assert done.exit_code == 0, done.output
    assert "adopted team 'Storage-Ops' (renamed from 'Storage Ops'" in done.output
    text = Path("policies/imported/rotations.yaml").read_text()
    # the schema the repository's files already name, seen from the new folder
    assert text.startswith("# yaml-language-server: $schema=../../schemas/policy.schema.json\n")
    rotations = list(yaml.safe_load_all(text))
    [rotation] = rotations
    assert rotation["layers"][1]["restrictions"] == [
        {"hours": "09:00-17:00", "days": ["saturday", "sunday"]}
    ]
    assert opskit("validate").exit_code == 0

    plan = opskit("plan", "--target", "pagerduty", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    assert "0 to create, 0 to update, 0 to delete" in plan.output
    assert "managed-by: opskit/acme" in names(hand_made, "/services")["object-store"]["description"]


def test_nothing_is_written_when_the_result_would_not_validate(hand_made: Any) -> None:
    result = opskit("import", "--target", "pagerduty", "--all")  # services need a tier
    assert "service 'object-store' skipped: no tier (pass --tier)" in result.output
    assert opskit("import", "--target", "pagerduty").exit_code == 2
