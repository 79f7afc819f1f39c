"""What action.yml, the workflows and the release promise, checked from their text."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((REPO / "action.yml").read_text())
WORKFLOW_FILES = sorted((REPO / ".github" / "workflows").glob("*.yml"))
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def steps_of(path: Path) -> list[dict[str, Any]]:
    document = yaml.safe_load(path.read_text())
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def action_step(step_id: str) -> dict[str, Any]:
    [step] = [s for s in ACTION["runs"]["steps"] if s.get("id") == step_id]
    return dict(step)


def test_opskit_is_installed_from_the_actions_checkout_only() -> None:
    """`pip install opskit` would install an unrelated project that owns the name on PyPI."""
    installs = [
        line.strip() for line in action_step("install")["run"].splitlines() if "pip install" in line
    ]
    assert len(installs) == 2
    locked, local = installs
    assert '-r "$GITHUB_ACTION_PATH/requirements/runtime.lock"' in locked
    assert (
        "--require-hashes" in locked and "--no-deps" in locked and "--only-binary :all:" in locked
    )
    assert local.endswith('"$GITHUB_ACTION_PATH"')
    assert "--no-index" in local and "--no-deps" in local and "--no-build-isolation" in local
    for path in [REPO / "action.yml", *WORKFLOW_FILES]:
        assert not re.search(r"pip install\s+(-\S+\s+)*['\"]?opskit\b", path.read_text()), path.name


def test_the_lock_pins_every_package_with_hashes_and_carries_the_build_backend() -> None:
    text = (REPO / "requirements" / "runtime.lock").read_text()
    requirements = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[-1])
    names = set()
    for requirement in requirements:
        if not requirement.strip() or requirement.startswith("#"):
            continue
        first = requirement.splitlines()[0]
        assert re.match(r"^[A-Za-z0-9._-]+==\S+", first), first
        assert "--hash=sha256:" in requirement, first
        names.add(first.split("==")[0].lower())
    assert {"hatchling", "click", "pagerduty", "jira"} <= names


def test_no_input_or_event_text_is_pasted_into_a_script() -> None:
    """Inputs reach the scripts as environment variables; `${{ }}` in a script is injection."""
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("id")
    for path in WORKFLOW_FILES:
        for step in steps_of(path):
            assert not re.search(
                r"\$\{\{\s*(inputs|github\.event|github\.head_ref)", step.get("run", "")
            ), path.name


def test_every_input_reaches_a_step_and_every_output_comes_from_the_script() -> None:
    steps_text = yaml.safe_dump(ACTION["runs"]["steps"])
    for name in ACTION["inputs"]:
        assert f"inputs.{name} }}}}" in steps_text, name
    for name, output in ACTION["outputs"].items():
        assert output["value"] == f"${{{{ steps.run.outputs.{name} }}}}", name
    script_env = action_step("run")["env"]
    assert all(name.startswith("OPSKIT_ACTION_") for name in script_env)
    assert script_env["OPSKIT_ACTION_GITHUB_TOKEN"] == "${{ inputs.github-token }}"
    assert ACTION["inputs"]["github-token"]["default"] == "${{ github.token }}"


def test_the_policy_workflows_use_the_action_with_their_command() -> None:
    expected = {"policy-validate.yml": ["validate"], "policy-plan.yml": ["plan"],
                "policy-apply.yml": ["validate", "apply"], "policy-drift.yml": ["drift"]}  # fmt: skip
    for name, commands in expected.items():
        steps = steps_of(REPO / ".github" / "workflows" / name)
        used = [
            s["with"]["command"]
            for s in steps
            if str(s.get("uses", "")).startswith("opskit/opskit@")
        ]
        assert used == commands, name
        assert not any("opskit " in s.get("run", "") for s in steps), name  # all through the action


def tags_named() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    readme = (REPO / "README.md").read_text()
    found["README pre-commit rev"] = re.findall(
        r"repo: https://github\.com/opskit/opskit\s+rev: (\S+)", readme
    )
    found["README uses"] = re.findall(r"uses: opskit/opskit@(\w[\w.-]*)", readme)
    for path in [REPO / "action.yml", *WORKFLOW_FILES]:
        found[path.name] = re.findall(r"uses: opskit/opskit@(\w[\w.-]*)", path.read_text())
    return found


def test_every_tag_users_copy_is_the_one_the_release_creates() -> None:
    release = (REPO / ".github" / "workflows" / "release.yml").read_text()
    assert 'tag="v$version"' in release  # the tag the release makes, from pyproject's version
    assert 'gh release create "$TAG"' in release
    named = tags_named()
    assert named["README pre-commit rev"] and named["README uses"] and named["policy-plan.yml"]
    for where, tags in named.items():
        assert set(tags) <= {f"v{VERSION}"}, f"{where} names {tags}, the release creates v{VERSION}"
