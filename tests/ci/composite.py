"""Run the composite action's own step the way the runner does, minus the install steps.

The step's `run:` script, `env:` mapping and `working-directory` are read from action.yml,
its `${{ }}` expressions resolved from the inputs given (and the defaults action.yml
declares), and the script run with bash as GitHub runs it, with the environment a runner
gives a step. Only setup-python and the pip install are skipped: opskit is already
installed in the test environment, whose Python stands in for the install step's output.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
RUN_STEP = "run"


@dataclass
class StepResult:
    code: int
    stdout: str
    stderr: str
    summary: str
    outputs: dict[str, str]

    def everything(self) -> str:
        return "\n".join([self.stdout, self.stderr, self.summary, *self.outputs.values()])


def action_definition(root: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((root / "action.yml").read_text())
    return loaded


def run_step(definition: dict[str, Any]) -> dict[str, Any]:
    [step] = [s for s in definition["runs"]["steps"] if s.get("id") == RUN_STEP]
    return dict(step)


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            outputs[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


class Runner:
    """Runs the action's step in `workspace`, a policy repository holding the action at its
    root (as `uses: ./` sees it), with a fresh runner folder for each step."""

    def __init__(self, workspace: Path, runner_root: Path, base_env: dict[str, str]) -> None:
        self.workspace = workspace
        self.runner_root = runner_root
        self.base_env = base_env
        self.steps = 0

    def run(
        self,
        inputs: dict[str, str],
        *,
        event_name: str,
        event: dict[str, Any],
        github_token: str,
        env: dict[str, str] | None = None,
    ) -> StepResult:
        definition = action_definition(self.workspace)
        declared = definition["inputs"]
        unknown = set(inputs) - set(declared)
        assert not unknown, f"inputs action.yml does not declare: {unknown}"
        missing = [n for n, spec in declared.items() if spec.get("required") and n not in inputs]
        assert not missing, f"required inputs not given: {missing}"
        context = {"github.token": github_token, "steps.install.outputs.python": sys.executable}
        values = {n: str(spec.get("default", "")) for n, spec in declared.items()}
        values = {n: self.resolve(v, context) for n, v in values.items()}
        values.update(inputs)
        context.update({f"inputs.{n}": v for n, v in values.items()})

        self.steps += 1
        folder = self.runner_root / f"step-{self.steps}"
        temp = folder / "temp"
        temp.mkdir(parents=True)
        summary, output, path_file = folder / "summary.md", folder / "output", folder / "path"
        for each in (summary, output, path_file):
            each.touch()
        event_path = folder / "event.json"
        event_path.write_text(json.dumps(event))

        step = run_step(definition)
        script = folder / "step.sh"
        script.write_text(self.resolve(step["run"], context))
        step_env = {
            **self.base_env,
            **(env or {}),
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_ACTION_PATH": str(self.workspace),  # `uses: ./`: the action is the workspace
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_PATH": str(path_file),
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_path),
            "RUNNER_TEMP": str(temp),
            **{name: self.resolve(str(value), context) for name, value in step["env"].items()},
        }
        cwd = self.workspace / self.resolve(step.get("working-directory", "."), context)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd, env=step_env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        return StepResult(
            done.returncode, done.stdout, done.stderr, summary.read_text(),
            parse_outputs(output.read_text()),
        )  # fmt: skip

    @staticmethod
    def resolve(text: str, context: dict[str, str]) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            assert name in context, f"action.yml uses ${{{{ {name} }}}}, which the test cannot give"
            return context[name]

        return EXPRESSION.sub(value, text)


def runner_env(**extra: str) -> dict[str, str]:
    """What a runner has for every step, plus what the job's `env:` gives."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "OPSKIT_CACHE_DIR", "OPSKIT_SPECS")
    return {
        **{k: v for k, v in os.environ.items() if k in keep},
        "GITHUB_REPOSITORY": "northwind/support-policies",
        "GITHUB_SERVER_URL": "https://github.test",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
        **extra,
    }
