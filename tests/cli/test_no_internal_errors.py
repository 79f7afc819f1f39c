"""Input never makes opskit fail with an internal error (exit 4): it is a positioned problem
or a usage error naming what to fix. A real bug still exits 4, with the traceback on request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from opskit.cli import cli, main

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["oncall", "who", "--at", "0001-01-02T00:00Z"], {}, "outside the years 1970-2200"),
        (["validate", "--now", "0001-01-01T00:00Z"], {}, "outside the years 1970-2200"),
        (["oncall", "who", "--at", "9999-12-31T23:59+14:00"], {}, "outside the years"),
        (["plan", "--target", "pagerduty"],
         {"OPSKIT_CA_BUNDLE": str(REPO / "opskit.yaml"), "PAGERDUTY_API_KEY": "k",
          "PAGERDUTY_URL": "https://127.0.0.1:9"}, "holds no PEM certificate"),
        (["plan", "--target", "pagerduty"],
         {"OPSKIT_CA_BUNDLE": "/nonexistent/ca.pem", "PAGERDUTY_API_KEY": "k",
          "PAGERDUTY_URL": "https://127.0.0.1:9"}, "OPSKIT_CA_BUNDLE: no such file"),
        (["plan", "--target", "jira"],
         {"OPSKIT_RETRY_BASE_SECONDS": "soon", "JIRA_URL": "https://127.0.0.1:9",
          "JIRA_EMAIL": "a@b.c", "JIRA_API_TOKEN": "t"}, "OPSKIT_RETRY_BASE_SECONDS must be"),
    ],
)  # fmt: skip
def test_bad_settings_are_usage_errors(argv: list[str], env: dict[str, str], message: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(REPO)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_a_bug_exits_4_and_debug_shows_the_traceback_without_changing_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import opskit.cli.rules

    def broken(*_: object, **__: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(opskit.cli.rules.rules, "callback", broken)
    assert main(["rules"]) == 4
    assert "internal error: RuntimeError: a bug" in capsys.readouterr().err
    monkeypatch.setenv("OPSKIT_DEBUG", "1")
    assert main(["rules"]) == 4
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_as_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("kind: Priority\nname: P1\nlevel: " + "9" * 5000 + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "validate", "p.yaml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "p.yaml:3:8: error: a number of 5,000 characters" in done.stdout
