"""The shipped workflows and pre-commit hook call commands and options that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from opskit.cli import cli

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def opskit_invocations() -> list[tuple[str, list[str]]]:
    found = []
    for path in WORKFLOWS:
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in job["steps"]:
                for line in str(step.get("run", "")).splitlines():
                    match = re.search(r"\bopskit (.*?)(?:\s*[>|&;]|$)", line)
                    if match:
                        found.append((path.name, shlex.split(match.group(1).replace('"', ""))))
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]
    found.append((".pre-commit-hooks.yaml", hook["entry"].split()[1:]))
    return found


@pytest.mark.parametrize(
    ("where", "argv"), opskit_invocations(), ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_every_shipped_invocation_parses(where: str, argv: list[str]) -> None:
    # --help after the arguments makes click parse them all, then stop before running
    words = [
        w for w in argv if not w.startswith("$") and "${{" not in w and not w.startswith("origin/")
    ]
    result = CliRunner().invoke(cli, [*words, "--help"])
    assert result.exit_code == 0, f"{where}: opskit {' '.join(argv)}\n{result.output}"
