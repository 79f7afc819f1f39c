"""The action's inputs, its log and its outputs, without opskit or GitHub."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from opskit_action.github import set_outputs
from opskit_action.main import InputError, Inputs, Run, opskit_argv

from tests.ci.composite import parse_outputs


def inputs(**values: str) -> Inputs:
    return Inputs.from_environment({f"OPSKIT_ACTION_{k.upper()}": v for k, v in values.items()})


def test_inputs_are_read_from_the_environment_and_args_split_without_a_shell() -> None:
    read = inputs(command="plan", args="--target 'pagerduty' $(touch pwned)", strict="false")
    assert read.args == ("--target", "pagerduty", "$(touch", "pwned)")
    assert opskit_argv("plan", strict=read.strict, args=read.args)[:4] == [
        "plan", "--format", "json", "--target",
    ]  # fmt: skip
    assert read.comment and read.drift_issue  # the defaults


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"command": "destroy"}, "command must be one of validate, plan, apply, drift"),
        ({"command": "plan", "strict": "yes"}, "strict must be true or false"),
        ({"command": "plan", "args": "--format text"}, "leave out --format"),
        ({"command": "plan", "args": "'unclosed"}, "args: No closing quotation"),
    ],
)
def test_unusable_inputs_are_refused(values: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        inputs(**values)


def test_policy_text_is_logged_with_workflow_commands_off(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = Run({"PAGERDUTY_API_KEY": "pd-secret-value"})
    run.show("+ schedule 'x'\n::add-mask::nothing\n::error::spoofed\nkey pd-secret-value")
    logged = capsys.readouterr().out.splitlines()
    token = logged[0].removeprefix("::stop-commands::")
    assert len(token) == 32 and logged[-1] == f"::{token}::"
    assert logged[1:-1] == ["+ schedule 'x'", "::add-mask::nothing", "::error::spoofed", "key ***"]


def test_outputs_with_newlines_survive(tmp_path: Path) -> None:
    path = tmp_path / "output"
    set_outputs(str(path), {"ok": "true", "note": "two\nlines", "url": "https://x.test/a=b"})
    assert parse_outputs(path.read_text()) == {
        "ok": "true",
        "note": "two\nlines",
        "url": "https://x.test/a=b",
    }
