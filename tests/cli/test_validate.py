"""opskit validate as users run it: CliRunner for behaviour, a subprocess for the real thing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from opskit.cli import cli, main

REPO = Path(__file__).resolve().parents[2]

BROKEN = """\
kind: Person
name: alice
email: alice@example.com
timezone: Europe/Berln
---
kind: Team
name: storage
members: [alice, bobb]
---
kind: Priority
name: P1
level: 1
title: Critical
urgency: hgh
"""


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A broken file in a folder of its own, where validate runs (nothing outside the
    working folder, or the repository around it, is read)."""
    path = tmp_path / "policies.yaml"
    path.write_text(BROKEN)
    monkeypatch.chdir(tmp_path)
    return path


def test_example_repository_validates_clean() -> None:
    result = CliRunner().invoke(
        cli, ["validate", "--strict", "--config", str(REPO / "opskit.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def test_every_problem_at_once_sorted_with_positions(broken: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(broken)])
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert lines[:3] == [
        "policies.yaml:4:11: error: 'Europe/Berln' is not an IANA time zone [timezone-invalid]",
        "policies.yaml:8:18: error: Team 'storage' refers to unknown person 'bobb' [ref-unknown]",
        "policies.yaml:14:10: error: 'hgh' is not allowed for urgency (one of 'high', 'low'); did you mean 'high'? [schema]",
    ]
    assert lines[3].startswith("3 errors, 0 warnings")


def test_github_format_annotates_lines(broken: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--format", "github", str(broken)])
    first = result.output.splitlines()[0]
    assert first.startswith("::error file=policies.yaml,line=4,col=11,title=timezone-invalid::")
    assert result.exit_code == 1


def test_sarif_format_is_machine_readable(broken: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--format", "sarif", str(broken)])
    log = json.loads(result.output)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["timezone-invalid", "ref-unknown", "schema"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4,
        "startColumn": 11,
    }


def test_warnings_pass_unless_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # outside the example repository, whose opskit.yaml says strict
    path = tmp_path / "team.yaml"
    path.write_text(
        "kind: Person\nname: a\nemail: a@x.example\ntimezone: UTC\n---\n"
        "kind: Person\nname: b\nemail: b@x.example\ntimezone: UTC\n---\n"
        "kind: Team\nname: t\nmembers: [a]\nleads: [b]\n"
    )
    relaxed = CliRunner().invoke(cli, ["validate", str(path)])
    strict = CliRunner().invoke(cli, ["validate", "--strict", str(path)])
    assert relaxed.exit_code == 0 and "team-lead-not-member" in relaxed.output
    assert strict.exit_code == 1


def test_strict_setting_in_opskit_yaml_applies_and_the_flag_overrides_it(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "team.yaml").write_text(
        "kind: Person\nname: a\nemail: a@x.example\ntimezone: UTC\n---\n"
        "kind: Person\nname: b\nemail: b@x.example\ntimezone: UTC\n---\n"
        "kind: Team\nname: t\nmembers: [a]\nleads: [b]\n"
    )
    config = tmp_path / "opskit.yaml"
    config.write_text("workspace: w\npolicies: [policies]\nvalidate: {strict: true}\n")
    assert CliRunner().invoke(cli, ["validate", "-c", str(config)]).exit_code == 1
    assert CliRunner().invoke(cli, ["validate", "-c", str(config), "--no-strict"]).exit_code == 0


def test_no_repository_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2


def test_config_problems_are_reported(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "p.yaml").write_text(
        "kind: Person\nname: a\nemail: a@x.example\ntimezone: UTC\n"
    )
    (tmp_path / "opskit.yaml").write_text(
        "workspace: Not Valid\npolicies: [policies]\ntoken: abc\n"
    )
    result = CliRunner().invoke(cli, ["validate", "-c", str(tmp_path / "opskit.yaml")])
    assert result.exit_code == 1
    rules = [line.rsplit("[", 1)[1] for line in result.output.splitlines()[:-1]]
    assert rules == ["config]", "config]"]


def test_subprocess_run_matches_the_documented_contract(broken: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "validate", "--format", "json", str(broken)],
        cwd=broken.parent,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == ""
    assert json.loads(done.stdout)["summary"]["errors"] == 3


def test_subprocess_in_example_repository() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "validate"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_now_fixes_the_deliverability_window_and_bad_values_are_usage_errors() -> None:
    config = str(REPO / "opskit.yaml")
    assert (
        CliRunner().invoke(cli, ["validate", "-c", config, "--now", "2027-03-01T00:00"]).exit_code
        == 0
    )
    bad = CliRunner().invoke(cli, ["validate", "-c", config, "--now", "next tuesday"])
    assert bad.exit_code == 2
    assert "--now: 'next tuesday' is not a date and time" in bad.output


def test_night_hours_come_from_opskit_yaml(tmp_path: Path) -> None:
    """The same follow-the-sun rotation passes or warns depending on what counts as night."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "p.yaml").write_text(
        "kind: Person\nname: a\nemail: a@x.example\ntimezone: Asia/Tokyo\n---\n"
        "kind: Person\nname: b\nemail: b@x.example\ntimezone: Europe/Berlin\n---\n"
        'kind: Rotation\nname: sun\ntimezone: UTC\nstart: "2026-01-05"\nfollow_the_sun: true\n'
        'layers:\n  - {name: apac, members: [a], shift: 1w, restrictions: [{hours: "00:00-12:00"}]}\n'
        '  - {name: emea, members: [b], shift: 1w, restrictions: [{hours: "12:00-24:00"}]}\n'
    )
    config = tmp_path / "opskit.yaml"
    config.write_text('workspace: w\npolicies: [policies]\nvalidate: {night: "22:00-07:00"}\n')
    warned = CliRunner().invoke(cli, ["validate", "-c", str(config), "--now", "2026-06-01T00:00"])
    assert "follow-the-sun-nights" in warned.output
    config.write_text('workspace: w\npolicies: [policies]\nvalidate: {night: "02:00-03:00"}\n')
    quiet = CliRunner().invoke(cli, ["validate", "-c", str(config), "--now", "2026-06-01T00:00"])
    assert "follow-the-sun-nights" not in quiet.output, quiet.output
