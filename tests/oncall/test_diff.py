"""opskit oncall diff: a ref against the working tree, in a throwaway git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from opskit.cli import cli
from tests.oncall.helpers import PEOPLE

BASE = (
    PEOPLE
    + """kind: Calendar
name: office
timezone: UTC
working_hours: {monday: ["09:00-17:00"], tuesday: ["09:00-17:00"], wednesday: ["09:00-17:00"], thursday: ["09:00-17:00"], friday: ["09:00-17:00"]}
holidays: {extra: [{date: "2026-12-25", name: Christmas Day}]}
---
kind: Team
name: ops
members: [ann, dan]
---
kind: Priority
name: P2
level: 1
title: High
urgency: high
---
kind: SlaTier
name: Business
calendar: office
targets: {P2: {first_response: 4h, resolution: 3bd}}
---
kind: Rotation
name: duty
timezone: UTC
start: "2026-12-14"
layers:
  - members: [dan, ann]
    shift: 1w
    handoff: "00:00"
---
kind: EscalationLadder
name: main
steps: [{notify: [{rotation: duty}], escalate_after: 10m}, {notify: [{person: ann}, {person: dan}], escalate_after: 10m}]
---
kind: Service
name: api
team: ops
ladder: main
tier: Business
support_hours: 24x7
"""
)


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "all.yaml").write_text(BASE)
    (tmp_path / "opskit.yaml").write_text(
        "workspace: t\npolicies: [policies]\nvalidate: {horizon: 3w}\n"
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    changed = (
        BASE.replace("members: [dan, ann]", "members: [ann, dan]")
        .replace("first_response: 4h", "first_response: 8h")
        .replace(
            '    handoff: "00:00"\n',
            '    handoff: "00:00"\n    restrictions: [{hours: "06:00-24:00"}]\n',
        )
    )
    (tmp_path / "policies" / "all.yaml").write_text(changed)
    return tmp_path


def diff(repo: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["oncall", "diff", *args, "--from", "2026-12-14", "--config", str(repo / "opskit.yaml")],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_diff_speaks_in_peoples_terms(repo: Path) -> None:
    text = diff(repo)  # the merge base with main: the commit
    assert "  dan gains 126h, one weekend: 21–27 Dec, 06:00–24:00 daily (Christmas Day)\n" in text
    assert "  dan loses 336h, two weekends: 14–20 Dec; 28 Dec – 3 Jan\n" in text
    assert "  ann loses 168h, one weekend: 21–28 Dec\n" in text  # ann lives in Berlin
    assert "  new gap 14 Dec – 3 Jan, 00:00–06:00 daily UTC in api\n" in text
    assert "P2 first response for Business moves 4h business hours → 8h business hours" in text
    before = (repo / "policies" / "all.yaml").read_text()
    assert git(repo, "status", "--porcelain") == " M policies/all.yaml\n"  # the tree is untouched
    assert (repo / "policies" / "all.yaml").read_text() == before


def test_diff_as_markdown_and_json(repo: Path) -> None:
    markdown = diff(repo, "main", "--format", "markdown")
    assert markdown.startswith("### On-call changes")
    assert "**Promises**\n\n- P2 first response for Business moves" in markdown
    found = json.loads(diff(repo, "HEAD", "--format", "json"))
    dan = next(p for p in found["people"] if p["person"] == "dan")
    assert dan["gained"][0] == {"start": "2026-12-21T06:00:00Z", "end": "2026-12-22T00:00:00Z"}
    assert (dan["gained_hours"], dan["lost_hours"]) == (126, 336)
    assert found["gaps"][0]["service"] == "api" and len(found["gaps"][0]["opened"]) == 21


def test_no_changes_and_bad_refs(repo: Path) -> None:
    git(repo, "commit", "-q", "-am", "head")
    assert "no changes" in diff(repo, "HEAD")
    result = CliRunner().invoke(
        cli, ["oncall", "diff", "nope", "--config", str(repo / "opskit.yaml")]
    )
    assert result.exit_code == 2 and "git:" in result.output
