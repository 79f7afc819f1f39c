"""opskit oncall who --remote against the sandbox's GET /oncalls, through the real client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from opskit.cli import cli, main
from opskit.policy.config import load_config
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.validate import validate_files
from opskit.providers.pagerduty import client as pagerduty_client
from opskit.providers.pagerduty_schedule import override_payloads, schedule_payload
from opskit.sandbox import Sandbox
from opskit.sync.throttle import RateLimiter
from tests.sandbox.fixtures import pd_client_for

REPO = Path(__file__).resolve().parents[2]
TOKEN = "u+oncall-secret-key-9876"
AT = "2026-12-26T02:00Z"


@pytest.fixture
def account(sandbox_factory: Callable[..., Sandbox], monkeypatch: pytest.MonkeyPatch) -> Any:
    """A PagerDuty account holding the storage-critical ladder as opskit would sync it."""
    sb = sandbox_factory(clock=lambda: dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    monkeypatch.setenv("PAGERDUTY_API_KEY", TOKEN)
    monkeypatch.setenv("PAGERDUTY_URL", sb.url)
    monkeypatch.setenv("OPSKIT_CA_BUNDLE", str(sb.ca_path))
    pd = pd_client_for(sb, TOKEN)
    config = load_config(REPO / "opskit.yaml", Diagnostics())
    policy = validate_files(config.policy_paths, config).policy
    ids = {}
    for person in policy.people.values():
        body = {"user": {"type": "user", "name": person.full_name, "email": person.email}}
        ids[person.name] = pd.post("/users", json=body).json()["user"]["id"]
    ladder = policy.ladders["storage-critical"]
    schedules = {}
    for rotation in {r.name: r for step in ladder.steps for r in step.rotations}.values():
        payload, _ = schedule_payload(rotation, lambda p: ids[p.name])
        sid = pd.post("/schedules", json={"schedule": payload}).json()["schedule"]["id"]
        overrides = override_payloads(rotation, lambda p: ids[p.name])
        if overrides:
            assert (
                pd.post(f"/schedules/{sid}/overrides", json={"overrides": overrides}).status_code
                == 201
            )
        schedules[rotation.name] = sid
    rules = [
        {"escalation_delay_in_minutes": step.escalate_after.seconds // 60, "targets": [
            *({"type": "schedule_reference", "id": schedules[r.name]} for r in step.rotations),
            *({"type": "user_reference", "id": ids[p.name]} for p in step.people)]}
        for step in ladder.steps
    ]  # fmt: skip
    body = {"escalation_policy": {"type": "escalation_policy", "name": ladder.name,
                                  "num_loops": ladder.repeat, "escalation_rules": rules}}  # fmt: skip
    assert pd.post("/escalation_policies", json=body).status_code == 201
    return pd, schedules, ids


def who(*extra: str) -> Any:
    args = ["oncall", "who", "--ladder", "storage-critical", "--at", AT, "--remote", *extra]
    return CliRunner().invoke(
        cli, [*args, "--config", str(REPO / "opskit.yaml")], catch_exceptions=False
    )


def test_pagerduty_agrees_with_the_policies(account: Any) -> None:
    result = who()
    assert result.exit_code == 0, result.output
    assert "PagerDuty agrees." in result.output
    assert TOKEN not in result.output


def test_a_hand_made_override_is_flagged(account: Any) -> None:
    pd, schedules, ids = account
    override = {"start": "2026-12-26T00:00:00Z", "end": "2026-12-26T06:00:00Z",
                "user": {"id": ids["oliver"], "type": "user_reference"}}  # fmt: skip
    assert (
        pd.post(
            f"/schedules/{schedules['cloud-primary']}/overrides", json={"overrides": [override]}
        ).status_code
        == 201
    )
    result = who()
    assert result.exit_code == 1
    assert (
        "disagrees: ladder 'storage-critical' step 1: policies say arjun, PagerDuty says oliver"
        in result.output
    )
    data = who("--format", "json")
    assert '"remote_disagreements": [' in data.output


def test_a_failing_remote_is_one_line_and_exit_3(
    account: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["oncall", "who", "--at", AT, "--remote", "--config", str(REPO / "opskit.yaml")]
    monkeypatch.delenv("PAGERDUTY_API_KEY")
    assert main(args) == 2
    assert capsys.readouterr().err == "opskit: error: PAGERDUTY_API_KEY is not set\n"
    monkeypatch.setenv("PAGERDUTY_URL", "https://127.0.0.1:9")  # nothing listens there
    waits: list[float] = []
    monkeypatch.setattr(  # back off without waiting
        pagerduty_client,
        "RateLimiter",
        lambda per_minute: RateLimiter(per_minute, sleep=waits.append),
    )
    monkeypatch.setenv("PAGERDUTY_API_KEY", TOKEN)
    assert main(args) == 3
    err = capsys.readouterr().err
    assert err.startswith("opskit: error: PagerDuty:") and err.count("\n") == 1 and TOKEN not in err
    assert waits  # retried (with backoff) before giving up
