"""Output cannot be injected, and a file's content is not echoed back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from opskit.cli import cli
from opskit.policy.diagnostics import excerpt, printable

TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyzSECRET"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--no-color", "validate", *args])


def test_a_file_holding_one_token_is_not_quoted_back(here: Path) -> None:
    (here / "token.yaml").write_text(TOKEN + "\n")
    for output_format in ("text", "json", "github", "sarif"):
        result = validate("--format", output_format, "token.yaml")
        assert result.exit_code == 1
        assert "document-not-mapping" in result.output
        assert TOKEN not in result.output and TOKEN[:12] not in result.output


def test_long_values_are_cut_short_in_messages(here: Path) -> None:
    (here / "p.yaml").write_text(f"kind: Person\nname: ada\nemail: {TOKEN}\ntimezone: UTC\n")
    result = validate("p.yaml")
    assert result.exit_code == 1 and "[schema]" in result.output
    assert TOKEN not in result.output
    assert excerpt(TOKEN) in result.output and len(excerpt(TOKEN)) == 40


HOSTILE_NAMES = [
    "evil\n::error file=x.yaml,line=1::forged.yaml",
    "::warning title=x::forged.yaml",
    "esc\x1b[31mred\x1b[0m.yaml",
    "cr\rcarriage.yaml",
    "sep\u2028line.yaml",
    "ctl\x01\x08bs.yaml",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_file_names_cannot_forge_lines_or_commands(here: Path, name: str) -> None:
    (here / name).write_text("kind: Person\nname: ada\n")  # missing email and timezone
    text = validate(name)
    assert text.exit_code == 1
    lines = text.output.splitlines()
    assert not any(line.startswith("::") for line in lines)
    assert not any(c in text.output for c in "\x1b\r\u2028\x01\x08")
    assert len(lines) == 3  # two problems and the summary: nothing forged a line
    github = validate("--format", "github", name)
    commands = [line for line in github.output.splitlines() if line.startswith("::")]
    assert len(commands) == 2 and all(c.startswith("::error file=") for c in commands)
    assert not any(c in github.output for c in "\x1b\r\u2028")
    problems = json.loads(validate("--format", "json", name).output)["problems"]
    assert {p["path"] for p in problems} == {name}  # JSON keeps the real name, escaped by JSON


def test_values_with_control_characters_are_escaped(here: Path) -> None:
    (here / "p.yaml").write_text('kind: Person\nname: ada\nemail: "a\\u001b[2Jb"\ntimezone: UTC\n')
    result = validate("p.yaml")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\\x1b" in result.output


def test_printable_escapes_exactly_the_unprintable() -> None:
    assert printable("plain: text, ünïcode ✓") == "plain: text, ünïcode ✓"
    assert printable("a\nb\tc\x00\u2029") == "a\\x0ab\\x09c\\x00\\u2029"


def test_a_workspace_with_a_trailing_newline_is_refused(here: Path) -> None:
    (here / "opskit.yaml").write_text('workspace: "northwind\\n"\npolicies: [policies]\n')
    (here / "policies").mkdir()
    (here / "policies" / "p.yaml").write_text(
        "kind: Person\nname: ada\nemail: ada@example.com\ntimezone: UTC\n"
    )
    result = validate()
    assert result.exit_code == 1
    assert "opskit.yaml:1:12: error: 'northwind\\n' is not valid for workspace" in result.output


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_junit_stays_well_formed_xml(here: Path, name: str) -> None:
    from xml.etree import ElementTree

    (here / name).write_text("kind: Person\nname: ada\n")
    result = CliRunner().invoke(cli, ["test", "--format", "junit", name])
    assert result.exit_code == 1
    [error] = ElementTree.fromstring(result.output).iter("error")
    assert error.text is not None and "[schema]" in error.text
