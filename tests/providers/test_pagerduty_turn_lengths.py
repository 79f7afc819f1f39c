"""A shift validate accepts is one PagerDuty takes: turns of one hour to 365 days apply, and
the plan after them is empty; shorter or longer turns stop at validate, before any write."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from opskit.cli import cli
from opskit.sandbox import Sandbox
from tests.providers.test_pagerduty_sync import sandbox_account

DATA = Path(__file__).resolve().parents[1] / "data"
PEOPLE = {"ada": "Europe/London", "grace": "America/New_York", "alan": "Europe/London",
          "edsger": "Europe/Amsterdam"}  # fmt: skip


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def client(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Any:
    api = sandbox_account(sandbox, monkeypatch)
    for name, zone in PEOPLE.items():
        user = {"type": "user", "name": name.title(), "email": f"{name}@example.org", "time_zone": zone}
        assert api.post("/users", json={"user": user}).status_code == 201
    return api


def repository(folder: Path, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "policies").mkdir(parents=True)
    (folder / "opskit.yaml").write_text(
        "workspace: turns\npolicies: [policies]\ntargets:\n  pagerduty:\n    enabled: true\n"
    )
    shutil.copy(example, folder / "policies" / example.name)
    monkeypatch.chdir(folder)


def test_the_shortest_and_longest_turns_apply(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository(tmp_path, DATA / "valid" / "turn-length-bounds.yaml", monkeypatch)
    applied = invoke("apply", "--target", "pagerduty", "--yes")
    assert applied.exit_code == 0, applied.output
    plan = invoke("plan", "--target", "pagerduty", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    turns = {
        schedule["name"]: [
            layer["rotation_turn_length_seconds"]
            for layer in client.get(f"/schedules/{schedule['id']}").json()["schedule"]["schedule_layers"]
        ]
        for schedule in client.get("/schedules").json()["schedules"]
    }
    assert sorted(turns.values()) == [[3_600], [365 * 86_400]]


@pytest.mark.parametrize("example", ["shift-of-30-minutes", "shift-of-366-days"])
def test_a_turn_pagerduty_refuses_stops_before_any_write(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: str
) -> None:
    repository(tmp_path, DATA / "invalid" / f"duration-invalid--{example}.yaml", monkeypatch)
    applied = invoke("apply", "--target", "pagerduty", "--yes")
    assert applied.exit_code != 0
    assert f"duration-invalid--{example}.yaml:37:12:" in applied.output
    assert "[duration-invalid]" in applied.output
    assert client.get("/schedules").json()["schedules"] == []
    assert client.get("/escalation_policies").json()["escalation_policies"] == []
