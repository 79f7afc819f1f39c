"""actionlint on every shipped workflow and on the action's own steps.

actionlint comes with the test dependencies; a missing one fails these tests rather than
skipping them, so an unlinted workflow never passes for a linted one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
OWN_WORKFLOWS = sorted(
    p for p in WORKFLOWS if p.name.startswith("policy-") or p.name == "release.yml"
)
# Current majors, all on the node24 runtime (node20 is retired): checkout v7, setup-python v7,
# cache v6 and upload-artifact v7.
CURRENT_MAJORS = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/cache": "v6",
    "actions/upload-artifact": "v7",
}


def actionlint_executable() -> str:
    beside = Path(sys.executable).with_name("actionlint")
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed (it comes with opskit's test dependencies)")
    return found


def actionlint(
    *args: str, cwd: Path = REPO, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint_executable(), "-no-color", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_every_workflow_passes_actionlint() -> None:
    assert WORKFLOWS
    found = actionlint(*(str(p) for p in WORKFLOWS))
    assert found.returncode == 0, found.stdout + found.stderr


def test_the_composite_actions_steps_pass_actionlint() -> None:
    """actionlint reads action.yml only for its inputs; its steps are linted as the job
    they become, with the inputs declared as a called workflow's."""
    action = yaml.safe_load((REPO / "action.yml").read_text())
    inputs = {name: {"type": "string", "required": False} for name in action["inputs"]}
    workflow = {
        "name": "the action's steps",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    found = actionlint("-", stdin=yaml.safe_dump(workflow, sort_keys=False))
    assert found.returncode == 0, found.stdout + found.stderr


def test_actionlint_catches_a_retired_runtime() -> None:
    """The linter in use knows node20 is retired: the checks above would catch one."""
    old = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
    found = actionlint("-", stdin=old)
    assert found.returncode == 1 and "node20" in found.stdout


def used_actions(document: Any) -> list[str]:
    found: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "uses" and isinstance(value, str):
                found.append(value)
            else:
                found += used_actions(value)
    elif isinstance(document, list):
        for item in document:
            found += used_actions(item)
    return found


@pytest.mark.parametrize("path", [REPO / "action.yml", *OWN_WORKFLOWS], ids=lambda p: p.name)
def test_actions_are_at_their_current_major(path: Path) -> None:
    uses = used_actions(yaml.safe_load(path.read_text()))
    assert uses
    for use in uses:
        name, _, ref = use.partition("@")
        if name in CURRENT_MAJORS:
            assert ref == CURRENT_MAJORS[name], (
                f"{path.name}: {use}, current is {CURRENT_MAJORS[name]}"
            )
        else:  # only GitHub's own actions and this one: nothing else sees the secrets
            assert name == "opskit/opskit" and re.fullmatch(r"v\d+\.\d+\.\d+", ref), use


def test_the_readmes_workflow_example_passes_actionlint() -> None:
    readme = (REPO / "README.md").read_text()
    [example] = [
        block
        for block in re.findall(r"```yaml\n(.*?)```", readme, re.S)
        if "uses: opskit/opskit@" in block
    ]
    found = actionlint("-", stdin=example)
    assert found.returncode == 0, found.stdout + found.stderr
