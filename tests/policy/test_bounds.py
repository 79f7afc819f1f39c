"""Absurd sizes are positioned errors, found in bounded time and memory."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

PEOPLE = "".join(
    f"---\nkind: Person\nname: p{i}\nemail: p{i}@example.com\ntimezone: UTC\n" for i in range(3)
)


def huge(name: str) -> str:
    if name == "200,000 empty documents":
        return "---\n" * 200_000
    if name == "a 10,000-step ladder":
        steps = ",".join("{notify: [{person: p0}], escalate_after: 5m}" for _ in range(10_000))
        return PEOPLE + f"---\nkind: EscalationLadder\nname: big\nsteps: [{steps}]\n"
    if name == "a million-member team":
        members = ",".join(f"p{i % 3}" for i in range(1_000_000))
        return PEOPLE + f"---\nkind: Team\nname: huge\nmembers: [{members}]\n"
    raise AssertionError(name)


CASES = {
    "200,000 empty documents": {"document-empty", "yaml-too-complex"},
    "a 10,000-step ladder": {"schema"},
    "a million-member team": {"yaml-too-complex"},
}


@pytest.mark.parametrize("name", CASES)
def test_absurd_sizes_are_errors_in_bounded_time_and_memory(tmp_path: Path, name: str) -> None:
    (tmp_path / "huge.yaml").write_text(huge(name))
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "validate", "--no-cache", "--format", "json", "huge.yaml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "OPSKIT_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert {p["rule"] for p in report["problems"]} == CASES[name]
    assert len(report["problems"]) <= 2  # one problem each, not one an item
    assert all(p["line"] >= 1 for p in report["problems"])
    # the largest child so far: every validate of this test session stays far under 2 GiB
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 2 * 1024 * 1024


@pytest.mark.parametrize(
    ("horizon", "message"),
    [("3y", "validate"), ("156w", "longer than two years"), ("1h", "shorter than 1d")],
)
def test_the_horizon_is_bounded(tmp_path: Path, horizon: str, message: str) -> None:
    from opskit.policy.config import load_config
    from opskit.policy.diagnostics import Diagnostics

    (tmp_path / "opskit.yaml").write_text(f"workspace: t\nvalidate:\n  horizon: {horizon}\n")
    problems = Diagnostics()
    config = load_config(tmp_path / "opskit.yaml", problems)
    [problem] = problems.sorted()
    assert (problem.rule, problem.position.line) == ("config", 3)
    assert message in problem.message
    assert config.horizon == "13w"  # checked with the default meanwhile
