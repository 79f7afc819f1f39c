"""Sync under faults: 429s, 5xx and dropped connections converge, and a killed run resumes.

Everything goes through the real client to the sandbox; faults are injected by the
sandbox under a seed, so every run here is reproducible.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from opskit.cli import cli
from opskit.sandbox import Sandbox
from opskit.sandbox.faults import FaultConfig
from tests.providers.test_pagerduty_sync import REPO, TOKEN, create_users, names
from tests.sandbox.fixtures import pd_client_for

KINDS = ("/teams", "/schedules", "/escalation_policies", "/services")


def environment(sb: Sandbox) -> dict[str, str]:
    return {
        "PAGERDUTY_API_KEY": TOKEN, "PAGERDUTY_URL": sb.url, "OPSKIT_CA_BUNDLE": str(sb.ca_path),
        "OPSKIT_RETRY_BASE_SECONDS": "0.02",
    }  # fmt: skip


def no_duplicates(client: Any) -> None:
    for path in KINDS:
        items = client.get(path, params={"limit": 100}).json()[path.strip("/")]
        counts = collections.Counter(item["name"] for item in items)
        assert [n for n, c in counts.items() if c > 1] == [], path


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_faulty_service_converges_without_duplicates(
    seed: int, sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb = sandbox_factory()
    client = pd_client_for(sb, TOKEN)
    create_users(client)
    for key, value in environment(sb).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(REPO)
    sb.set_faults(
        FaultConfig(
            rate_429=0.10, rate_500=0.04, rate_502=0.03, rate_503=0.03, rate_drop=0.05, seed=seed
        )
    )
    runs = []
    for _ in range(6):  # a POST whose answer was lost stops a run; the next one resumes
        result = CliRunner().invoke(cli, ["apply", "--target", "pagerduty", "--yes"])
        runs.append(result.exit_code)
        assert result.exit_code in (0, 3), result.output
        assert TOKEN not in result.output
        if result.exit_code == 0:
            break
    assert runs[-1] == 0, runs
    assert any(e.fault for e in sb.log.snapshot()), "the faults were injected"
    sb.set_faults(FaultConfig())
    no_duplicates(client)
    clean = CliRunner().invoke(cli, ["plan", "--target", "pagerduty", "--detailed-exitcode"])
    assert clean.exit_code == 0, clean.output


def test_a_run_killed_midway_is_resumed_without_duplicates(
    sandbox_factory: Any, tmp_path: Path
) -> None:
    sb = sandbox_factory()
    client = pd_client_for(sb, TOKEN)
    create_users(client)
    env = {**os.environ, **environment(sb)}
    before = len(sb.log.snapshot())
    sb.set_faults(FaultConfig(latency_ms=40, latency_rate=1.0))
    process = subprocess.Popen(
        [sys.executable, "-m", "opskit", "apply", "--target", "pagerduty", "--yes"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        # Wait until some objects exist, then kill it without warning.
        deadline = time.monotonic() + 60
        while sum(1 for e in sb.log.snapshot()[before:] if e.method == "POST") < 8:
            assert process.poll() is None, "apply finished before it could be killed"
            assert time.monotonic() < deadline, "apply made no progress"
            time.sleep(0.01)  # polling the sandbox's log for a condition, not timing a race
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    made = sum(len(names(client, path)) for path in KINDS)
    sb.set_faults(FaultConfig())
    resumed = subprocess.run(
        [sys.executable, "-m", "opskit", "apply", "--target", "pagerduty", "--yes"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert made > 0
    no_duplicates(client)
    assert TOKEN not in resumed.stdout + resumed.stderr


def test_a_failing_service_is_exit_3_with_one_line(
    sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb = sandbox_factory()
    for key, value in environment(sb).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(REPO)
    sb.set_faults(FaultConfig(rate_503=1.0, seed=1))
    result = CliRunner().invoke(cli, ["plan", "--target", "pagerduty"])
    assert result.exit_code == 3
    assert "opskit: error: GET /users: 503" in result.output
    assert "Traceback" not in result.output and TOKEN not in result.output
