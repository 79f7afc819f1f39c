"""The small playbook the CLI tests run, and running `opskit playbook` in-process."""

from __future__ import annotations

from click.testing import CliRunner

from opskit.cli.app import cli

DRILL = {
    "name": "drill",
    "title": "A drill",
    "services": ["api"],
    "steps": [
        {
            "id": "check",
            "kind": "manual",
            "title": "Look",
            "checklist": ["Look at {{ inputs.service }}"],
        },
        {"id": "probe", "kind": "run", "argv": ["echo", "{{ inputs.service }}"], "timeout": "10s"},
        {
            "id": "scope",
            "kind": "decide",
            "question": "Where?",
            "options": {"one": "last", "all": "last"},
        },
        {"id": "last", "kind": "manual", "checklist": ["Probe said {{ steps.probe.output }}"]},
    ],
}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--no-color", "playbook", *args])
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr
