"""Acceptance: the CLI on every example file, positive and negative, data-driven.

Each file under tests/data/invalid/ holds one problem and says which on its first
line: `# expect: <rule-id> <line>`, or `# expect: <rule-id> <line> <line>...` for a
problem reported at every place it involves (two policies that become one remote object).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from opskit.cli import cli
from opskit.rules import RULES

DATA = Path(__file__).resolve().parents[1] / "data"
INVALID = sorted((DATA / "invalid").glob("*.y*ml"))
VALID = sorted((DATA / "valid").glob("*.y*ml"))
EXPECT = re.compile(rb"^# expect: ([a-z0-9-]+) ([0-9]+(?: [0-9]+)*)\s*$")


def expectation(path: Path) -> tuple[str, list[int]]:
    first = path.read_bytes().splitlines()[0]
    match = EXPECT.match(first)
    assert match, f"{path.name}: first line must be '# expect: <rule> <line> [<line>...]'"
    return match.group(1).decode(), [int(n) for n in match.group(2).split()]


def run_json(*args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(
        cli, ["validate", "--format", "json", *args], catch_exceptions=False
    )
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_reports_its_one_problem(path: Path) -> None:
    rule, lines = expectation(path)
    code, report = run_json("--strict", str(path))
    problems = report["problems"]
    assert isinstance(problems, list)
    found = [(p["rule"], p["line"]) for p in problems]
    assert found == [(rule, line) for line in lines], f"{path.name}: {[p['message'] for p in problems]}"
    assert code == 1


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_is_clean(path: Path) -> None:
    code, report = run_json("--strict", str(path))
    assert report["problems"] == []
    assert code == 0


def test_negative_examples_cover_every_rule() -> None:
    covered = {expectation(p)[0] for p in INVALID}
    # paths that leave the repository need a tree, not a file: tests/policy/test_confinement.py
    untestable_by_file = {"file-too-large", "file-unreadable", "config", "path-outside-repository", "path-unreadable",
                          "capacity-short"}  # a snapshot beside the policies: tests/capacity/test_cli.py
    assert set(RULES) - untestable_by_file <= covered
    assert len(INVALID) >= 40
