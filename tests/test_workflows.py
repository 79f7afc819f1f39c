"""The shipped workflows, the action and the pre-commit hook call commands and options that exist."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from opskit.cli import cli

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
sys.path.insert(0, str(REPO / "action"))  # the action's scripts run from their own folder

from opskit_action.main import COMMANDS, oncall_diff_argv, opskit_argv  # noqa: E402


def shell_invocations(where: str, steps: list[dict[str, object]]) -> list[tuple[str, list[str]]]:
    found = []
    for step in steps:
        for line in str(step.get("run", "")).splitlines():
            line = re.sub(r"(^|\s)#.*", "", line)  # a shell comment may name opskit too
            match = re.search(r"\bopskit (.*?)(?:\s*[>|&;]|$)", line)
            if match:
                found.append((where, shlex.split(match.group(1).replace('"', ""))))
    return found


def opskit_invocations() -> list[tuple[str, list[str]]]:
    found = []
    for path in WORKFLOWS:
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            found += shell_invocations(path.name, job["steps"])
    action = yaml.safe_load((REPO / "action.yml").read_text())
    found += shell_invocations("action.yml", action["runs"]["steps"])
    # the action builds its command lines in Python: every one it can run, as it builds them
    for command in COMMANDS:
        for strict in (True, False):
            found.append((f"action {command}", opskit_argv(command, strict=strict)))
        if command != "validate":  # the sync commands take a target
            targeted = opskit_argv(command, strict=True, args=["--target", "jira"])
            found.append((f"action {command}", targeted))
    found.append(("action plan", oncall_diff_argv("origin/main")))
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]
    found.append((".pre-commit-hooks.yaml", hook["entry"].split()[1:]))
    return found


@pytest.mark.parametrize(
    ("where", "argv"), opskit_invocations(), ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_every_shipped_invocation_parses(where: str, argv: list[str]) -> None:
    # --help after the options makes click parse them all, then stop before running;
    # it goes before a `--`, after which everything is an argument
    words = [
        w for w in argv if not w.startswith("$") and "${{" not in w and not w.startswith("origin/")
    ]
    end = words.index("--") if "--" in words else len(words)
    result = CliRunner().invoke(cli, [*words[:end], "--help", *words[end:]])
    assert result.exit_code == 0, f"{where}: opskit {' '.join(argv)}\n{result.output}"
