"""Jira sync under faults: 429 with Retry-After, 5xx and dropped connections converge with no
duplicates, and a run killed midway resumes. Faults are drawn by the sandbox under a seed."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from click.testing import CliRunner
from jira import JIRA

from opskit.cli import cli
from opskit.providers.jira.client import connect
from opskit.providers.jira.provider import JiraProvider
from opskit.providers.jira.settings import Settings
from opskit.sandbox import Sandbox
from opskit.sandbox.faults import FaultConfig
from tests.providers.test_jira_site import example_policy, set_up_site
from tests.providers.test_jira_sync import ORGS, REPO, TOKEN, get

SETTINGS = Settings(["SUP", "OPS"], "SUP", "Support tier")


def environment(sb: Sandbox) -> dict[str, str]:
    return {
        "JIRA_URL": sb.url, "JIRA_EMAIL": "anna@northwind.example", "JIRA_API_TOKEN": TOKEN,
        "OPSKIT_CA_BUNDLE": str(sb.ca_path), "OPSKIT_RETRY_BASE_SECONDS": "0.02",
    }  # fmt: skip


def no_duplicates(admin: JIRA) -> None:
    for project in ("SUP", "OPS"):
        names = collections.Counter(c["name"] for c in get(admin, f"/project/{project}/components"))
        assert [n for n, c in names.items() if c > 1] == [], project
    orgs = collections.Counter(o["name"] for o in get(admin, ORGS, limit=100)["values"])
    assert [n for n, c in orgs.items() if c > 1] == []
    assert len(orgs) == 10  # one per customer


def site_for(
    sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> tuple[Sandbox, JIRA]:
    sb = sandbox_factory(**options)
    admin = set_up_site(sb, example_policy(REPO))
    for key, value in environment(sb).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(REPO)
    return sb, admin


def test_faulty_site_converges_without_duplicates(
    sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb, admin = site_for(sandbox_factory, monkeypatch)
    sb.set_faults(
        FaultConfig(
            rate_429=0.03, rate_500=0.04, rate_502=0.03, rate_503=0.03, rate_drop=0.05, seed=7
        )
    )
    runs = []
    for _ in range(6):  # a POST whose answer was lost stops a run; the next one resumes
        result = CliRunner().invoke(cli, ["apply", "--target", "jira", "--yes"])
        runs.append(result.exit_code)
        assert result.exit_code in (0, 3), result.output
        assert TOKEN not in result.output and "Traceback" not in result.output
        if result.exit_code == 0:
            break
    assert runs[-1] == 0, runs
    faults = collections.Counter(e.fault for e in sb.log.snapshot() if e.fault)
    assert faults["drop"] and faults["429"] and faults["500"], faults
    sb.set_faults(FaultConfig())
    no_duplicates(admin)
    clean = CliRunner().invoke(cli, ["plan", "--target", "jira", "--detailed-exitcode"])
    assert clean.exit_code == 0, clean.output


def test_retry_after_is_honoured(sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sb, _ = site_for(sandbox_factory, monkeypatch)
    api = connect()
    slept: list[float] = []
    api.limiter.sleep = slept.append  # what it would wait, without waiting
    sb.set_faults(FaultConfig(rate_429=1.0))
    with pytest.raises(Exception, match="429"):
        api.call("GET", "/priority")
    refused = [e for e in sb.log.snapshot() if e.fault == "429" and e.path.endswith("/priority")]
    assert len(refused) == api.policy.attempts  # bounded: it gives up
    # The sandbox says Retry-After: 1; no retry goes out sooner (the fake sleep takes no time,
    # so the limiter's own wait and the retry's both show).
    assert sum(slept) >= api.policy.attempts - 1 and min(slept) > 0.99, slept
    sb.set_faults(FaultConfig())
    assert api.call("GET", "/field")


def test_a_run_killed_midway_is_resumed_without_duplicates(sandbox_factory: Any) -> None:
    sb = sandbox_factory()
    admin = set_up_site(sb, example_policy(REPO))
    env = {**os.environ, **environment(sb)}
    before = len(sb.log.snapshot())
    sb.set_faults(FaultConfig(latency_ms=40, latency_rate=1.0))
    command = [sys.executable, "-m", "opskit", "apply", "--target", "jira", "--yes"]
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while sum(1 for e in sb.log.snapshot()[before:] if e.method == "POST") < 12:
            assert process.poll() is None, "apply finished before it could be killed"
            assert time.monotonic() < deadline, "apply made no progress"
            time.sleep(0.01)  # polling the sandbox's log for a condition, not timing a race
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    sb.set_faults(FaultConfig())
    resumed = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    output = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, output
    assert TOKEN not in output
    no_duplicates(admin)
    again = subprocess.run(
        [*command[:3], "plan", "--target", "jira", "--detailed-exitcode"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stdout + again.stderr


def test_saved_plan_is_refused_once_jira_changed(
    sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    _, admin = site_for(sandbox_factory, monkeypatch)
    saved = tmp_path / "plan.json"
    planned = CliRunner().invoke(cli, ["plan", "--target", "jira", "--out", str(saved)])
    assert planned.exit_code == 0, planned.output
    assert TOKEN not in saved.read_text()
    admin._session.post(admin._get_url("component"), json={"name": "By hand", "project": "SUP"})
    refused = CliRunner().invoke(cli, ["apply", str(saved), "--yes"])
    assert refused.exit_code == 3
    assert "changed since this plan was made" in refused.output
    assert {c["name"] for c in get(admin, "/project/SUP/components")} == {"By hand"}
    provider = JiraProvider("northwind", settings=SETTINGS)
    assert provider.plan(example_policy(REPO)).pending
