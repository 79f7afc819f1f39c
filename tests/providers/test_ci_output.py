"""What CI parses: one JSON document for every target, annotations on policy lines, colour
only when wanted, and positioned problems wherever policies stop a command."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from opskit.cli import cli
from opskit.sandbox import Sandbox
from tests.providers.test_jira_site import example_policy, set_up_site
from tests.providers.test_pagerduty_sync import create_users
from tests.sandbox.fixtures import pd_client_for

REPO = Path(__file__).resolve().parents[2]
PD_TOKEN = "u+ci-output-pd-secret-1234"
JIRA_TOKEN = "ci-output-jira-secret-5678"
ESC = "\x1b["


@pytest.fixture
def both(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A copy of the example repository with PagerDuty and Jira both in the sandbox."""
    for name, value in {
        "PAGERDUTY_API_KEY": PD_TOKEN, "PAGERDUTY_URL": sandbox.url,
        "JIRA_URL": sandbox.url, "JIRA_EMAIL": "anna@northwind.example",
        "JIRA_API_TOKEN": JIRA_TOKEN, "OPSKIT_CA_BUNDLE": str(sandbox.ca_path),
        "OPSKIT_RETRY_BASE_SECONDS": "0.01",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    repo = tmp_path / "repo"
    for part in ("policies", "playbooks", "schemas"):
        shutil.copytree(REPO / part, repo / part)
    shutil.copy(REPO / "opskit.yaml", repo / "opskit.yaml")
    monkeypatch.chdir(repo)
    create_users(pd_client_for(sandbox, PD_TOKEN))
    set_up_site(sandbox, example_policy(REPO))
    return repo


def opskit(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def one_document(result: Result) -> Any:
    """The whole of stdout must be one JSON document."""
    return json.loads(result.stdout)


def test_plan_and_drift_json_cover_every_target_in_one_document(both: Path) -> None:
    planned = opskit("plan", "--format", "json")
    assert planned.exit_code == 0, planned.output
    report = one_document(planned)
    assert (report["version"], report["command"], report["ok"]) == (1, "plan", True)
    assert [t["target"] for t in report["targets"]] == ["pagerduty", "jira"]
    for name in ("create", "update", "delete", "unchanged", "errors", "warnings"):
        assert report["counts"][name] == sum(t["counts"][name] for t in report["targets"])
    for target in report["targets"]:
        assert target["pending"] is True and target["counts"]["create"] > 0
        creates = sum(1 for c in target["changes"] if c["action"] == "create")
        assert creates == target["counts"]["create"]
        for problem in target["problems"]:
            assert problem["level"] in ("error", "warning")
    # the warnings PagerDuty gives (no holidays in support hours) carry their line
    positioned = [p for t in report["targets"] for p in t["problems"] if p.get("line")]
    assert positioned and all(Path(p["path"]).exists() for p in positioned)
    assert PD_TOKEN not in planned.output and JIRA_TOKEN not in planned.output

    drifted = opskit("drift", "--format", "json")
    assert drifted.exit_code == 1  # nothing applied yet: everything differs
    assert one_document(drifted)["command"] == "drift"

    applied = opskit("apply", "--yes", "--format", "json")
    assert applied.exit_code == 0, applied.output
    done = one_document(applied)
    assert [t["applied"]["failed"] for t in done["targets"]] == [None, None]
    assert [t["status"] for t in done["targets"]] == ["applied", "applied"]
    assert done["prune"] is False
    again = one_document(opskit("apply", "--yes", "--format", "json"))
    assert [t["status"] for t in again["targets"]] == ["nothing-to-do", "nothing-to-do"]
    assert [t["applied"] for t in again["targets"]] == [None, None]
    clean = opskit("drift", "--format", "json")
    assert clean.exit_code == 0, clean.output
    report = one_document(clean)
    assert report["pending"] is False
    assert all(t["counts"]["create"] == t["counts"]["update"] == 0 for t in report["targets"])


def test_apply_json_says_how_each_target_ended(both: Path) -> None:
    dry = one_document(opskit("apply", "--yes", "--dry-run", "--format", "json"))
    assert [t["status"] for t in dry["targets"]] == ["dry-run", "dry-run"] and dry["ok"]
    # a saved plan whose account changed since is refused, and the document says so
    saved = both / "plan.json"
    assert opskit("plan", "--target", "jira", "--out", str(saved)).exit_code == 0
    assert opskit("apply", "--target", "jira", "--yes").exit_code == 0
    refused = opskit("apply", str(saved), "--yes", "--format", "json")
    assert refused.exit_code == 3
    report = one_document(refused)
    assert report["ok"] is False and [t["status"] for t in report["targets"]] == ["refused"]


def test_json_of_invalid_policies_is_still_one_document(both: Path) -> None:
    services = both / "policies" / "services.yaml"
    services.write_text(services.read_text().replace("ladder: storage-critical", "ladder: nope", 1))
    for command in ("plan", "drift"):
        result = opskit(command, "--format", "json")
        assert result.exit_code == 1
        report = one_document(result)
        assert (report["command"], report["ok"], report["targets"]) == (command, False, [])
        [problem] = report["problems"]
        assert problem["rule"] == "ref-unknown" and problem["level"] == "error"
        assert problem["path"].endswith("services.yaml") and problem["line"] > 0
        # and the positioned line for people, on stderr
        assert re.search(r"services\.yaml:\d+:\d+: error: .*\[ref-unknown\]", result.stderr)


def test_plan_github_format_annotates_policy_lines(both: Path) -> None:
    result = opskit("plan", "--target", "pagerduty", "--format", "github")
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stdout.splitlines() if line.startswith("::notice ")]
    assert notices
    match = re.match(r"::notice file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.*)", notices[0])
    assert match is not None, notices[0]
    path, line = match.group(1), int(match.group(2))
    assert Path(path).exists() and line > 0
    assert "opskit pagerduty%3A creates" in match.group(4)
    assert "%0A" in match.group(5)  # the fields, on lines of their own inside one annotation
    assert any(line.startswith("::warning file=policies/") for line in result.stdout.splitlines())
    # the plan itself is still there for the log
    assert "Plan for pagerduty:" in result.stdout


def test_oncall_and_summary_on_invalid_policies_show_the_problems(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for part in ("policies", "playbooks"):
        shutil.copytree(REPO / part, repo / part)
    shutil.copy(REPO / "opskit.yaml", repo / "opskit.yaml")
    people = repo / "policies" / "people.yaml"
    people.write_text(people.read_text().replace("Europe/Berlin", "Europe/Berln", 1))
    config = str(repo / "opskit.yaml")
    for args in (["oncall", "who", "--config", config], ["summary", "--config", config]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert re.search(r"people\.yaml:\d+:\d+: error: .*\[timezone-invalid\]", result.stderr)
        assert "1 error;" in result.stderr and "Traceback" not in result.output


def validate_invalid(tmp_path: Path, *args: str, env: dict[str, str] | None = None,
                     color: bool = False) -> str:  # fmt: skip
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Person\nname: ada\nemail: ada@example.com\ntimezone: Mars/Olympus\n")
    result = CliRunner(env=env).invoke(cli, [*args, "validate", str(bad)], color=color)
    assert result.exit_code == 1
    return result.output


def test_color_flags_and_no_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # a pipe gets no colour, unless asked for it
    assert ESC not in validate_invalid(tmp_path)
    assert ESC in validate_invalid(tmp_path, "--color")
    # a terminal gets colour, unless NO_COLOR or --no-color says no
    terminal = {"FORCE_COLOR": "1", "NO_COLOR": ""}
    assert ESC in validate_invalid(tmp_path, env=terminal, color=True)
    assert ESC not in validate_invalid(tmp_path, env={**terminal, "NO_COLOR": "1"}, color=True)
    assert ESC not in validate_invalid(tmp_path, "--no-color", env=terminal, color=True)


def test_color_decision_off_a_terminal_agrees_with_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from opskit.cli.console import decide_color

    for env in ({}, {"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}):
        for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        probe = Console()  # pytest's captured stdout is no terminal
        expected = probe.is_terminal and not probe.no_color and probe.color_system is not None
        assert decide_color(None) is expected, env


def test_no_color_in_a_real_process(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Person\nname: ada\nemail: ada@example.com\ntimezone: Mars/Olympus\n")
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    command = [sys.executable, "-m", "opskit", "validate", str(bad)]
    forced = subprocess.run(command, env={**base, "FORCE_COLOR": "1"}, capture_output=True,
                            cwd=tmp_path, text=True, timeout=60, check=False)  # fmt: skip
    assert forced.returncode == 1 and ESC in forced.stdout
    plain = subprocess.run(command, env={**base, "FORCE_COLOR": "1", "NO_COLOR": "1"},
                           cwd=tmp_path, capture_output=True, text=True, timeout=60,
                           check=False)  # fmt: skip
    assert plain.returncode == 1 and ESC not in plain.stdout
    assert "timezone-invalid" in plain.stdout
