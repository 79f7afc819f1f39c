"""opskit explain: one text per rule, and every example in it proven by opskit validate.

A new rule without a text in opskit/explain/rules/ fails here, and so does a text whose
example no longer fails (or whose fix no longer passes) with its rule.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from opskit import __version__, explain
from opskit.cli import cli
from opskit.rules import RULES

REPO = Path(__file__).resolve().parents[2]
TEXTS = REPO / "opskit" / "explain" / "rules"

# Rules whose example cannot be a YAML file to validate: they need bytes that are not
# UTF-8, a file of over 8 MiB, a path on disk that cannot be read (permissions, a symlink
# loop), or a demand snapshot beside the policies (capacity-short: proven in
# tests/capacity/test_cli.py). Their examples are shell sessions; the rest is proven below.
NOT_A_YAML_EXAMPLE = {
    "encoding", "file-too-large", "file-unreadable", "path-unreadable", "capacity-short",
    "render-budget",  # a million shifts do not fit a page: tests/data/invalid has one
}  # fmt: skip

# A block that starts with this comment is an opskit.yaml, not a policy file.
CONFIG_MARK = "# opskit.yaml\n"


def texts() -> list[explain.Explanation]:
    found = [explain.load(rule) for rule in explain.available()]
    return [e for e in found if e is not None]


def fences(markdown: str) -> list[tuple[str, str]]:
    """Every fenced block of a text: (info string, code)."""
    blocks, info, code, inside = [], "", [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            if inside:
                blocks.append((info, "\n".join(code) + "\n"))
            inside, info, code = not inside, line[3:].strip(), []
        elif inside:
            code.append(line)
    assert not inside, "a code block is not closed"
    return blocks


def validate(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rules `opskit validate --strict` reports for a file (or an opskit.yaml)."""
    folder = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    monkeypatch.chdir(folder)
    if text.startswith(CONFIG_MARK):
        (folder / "opskit.yaml").write_text(text, encoding="utf-8")
        (folder / "policies").mkdir()
        args = ["validate", "--strict", "--format", "json"]
    else:
        (folder / "policies.yaml").write_text(text, encoding="utf-8")
        args = ["validate", "--strict", "--format", "json", "policies.yaml"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    report = json.loads(result.output)
    return [p["rule"] for p in report["problems"]]


def documents(text: str) -> list[str]:
    parts, current = [], []
    for line in text.splitlines():
        if line == "---":
            parts.append("\n".join(current) + "\n")
            current = []
        else:
            current.append(line)
    return [*parts, "\n".join(current) + "\n"]


def identity(document: str) -> tuple[object, object] | None:
    try:
        data = yaml.safe_load(document)
    except yaml.YAMLError:
        return None
    return (data.get("kind"), data.get("name")) if isinstance(data, dict) else None


def patched(example: str, fragment: str) -> str:
    """The example with a fix fragment applied: each document of the fragment replaces the
    example's document of the same kind and name, or is added."""
    docs = documents(example)
    for new in documents(fragment):
        key = identity(new)
        assert key is not None, f"a fix fragment's documents have a kind and a name: {new}"
        index = next((i for i, old in enumerate(docs) if identity(old) == key), None)
        if index is None:
            docs.append(new)
        else:
            docs[index] = new
    return "---\n".join(docs)


@pytest.fixture(scope="module")
def everything() -> list[explain.Explanation]:
    return texts()


def test_every_rule_has_a_text_and_every_text_a_rule() -> None:
    assert set(explain.available()) == set(RULES), "add opskit/explain/rules/<rule-id>.md"
    assert {p.stem for p in TEXTS.glob("*.md")} == set(RULES)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_text_has_its_four_parts(rule: str) -> None:
    raw = (TEXTS / f"{rule}.md").read_text(encoding="utf-8")
    found = explain.parse(rule, raw)  # raises for a missing part
    assert "\n" not in found.summary and not found.summary.startswith("#")
    assert [line for line in raw.splitlines() if line.startswith("## ")] == [
        "## Why",
        "## Example",
        "## Fix",
    ]
    assert found.why and found.example and found.fix


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_example_fails_with_its_rule_and_its_fix_passes(
    rule: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = explain.load(rule)
    assert text is not None
    examples = [code for info, code in fences(text.example) if info == "yaml"]
    if rule in NOT_A_YAML_EXAMPLE:
        assert not examples, f"{rule} has a YAML example now: take it off NOT_A_YAML_EXAMPLE"
        return
    assert examples, f"{rule}: the Example needs a ```yaml block that fails validate"
    for example in examples:
        assert set(validate(tmp_path, example, monkeypatch)) == {rule}, example
    for info, code in fences(text.fix):
        if info == "yaml":  # a whole file: it validates with no problem at all
            assert validate(tmp_path, code, monkeypatch) == [], code
        elif info == "yaml fragment":  # the changed documents, applied to the example
            found = validate(tmp_path, patched(examples[0], code), monkeypatch)
            assert found == [], (rule, found)


def test_texts_name_only_commands_and_options_that_exist(
    everything: list[explain.Explanation],
) -> None:
    """Every `opskit <command> [--option]` in the texts is one `opskit --help` lists."""
    commands = {
        name: cli.get_command(click.Context(cli), name)
        for name in cli.list_commands(click.Context(cli))
    }
    for text in everything:
        for name, options in re.findall(
            r"`opskit ([a-z][a-z-]*)((?: --?[a-z][a-z-]*)*)", text.markdown
        ):
            command = commands.get(name)
            assert command is not None, f"{text.rule}: 'opskit {name}' is no command"
            known = {o for p in command.params for o in [*p.opts, *p.secondary_opts]}
            for option in options.split():
                assert option in known, f"{text.rule}: 'opskit {name}' has no {option}"


def test_explain_prints_a_rule() -> None:
    result = CliRunner().invoke(cli, ["explain", "ladder-delay-min"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ladder-delay-min (error)\n")
    assert "Why\n" in result.output and "escalate_after: 30s" in result.output
    assert "```" not in result.output  # plain text when not on a terminal


def test_explain_markdown_is_the_file() -> None:
    result = CliRunner().invoke(cli, ["explain", "--format", "markdown", "yaml-tab"])
    assert result.exit_code == 0
    assert result.output == (TEXTS / "yaml-tab.md").read_text(encoding="utf-8")


def test_explain_json() -> None:
    result = CliRunner().invoke(cli, ["explain", "-f", "json", "coverage-gap"])
    assert result.exit_code == 0
    [entry] = json.loads(result.output)
    assert entry["id"] == "coverage-gap"
    assert entry["level"] == "error"
    assert entry["summary"] == RULES["coverage-gap"].summary
    assert set(entry) >= {"explanation", "why", "example", "fix", "markdown", "help_uri"}
    assert entry["help_uri"].endswith(f"/v{__version__}/opskit/explain/rules/coverage-gap.md")


def test_explain_all_covers_every_rule() -> None:
    result = CliRunner().invoke(cli, ["explain", "--all", "--format", "json"])
    assert result.exit_code == 0
    assert [e["id"] for e in json.loads(result.output)] == list(RULES)
    text = CliRunner().invoke(cli, ["explain", "--all"])
    assert text.exit_code == 0
    assert all(f"{rule} ({RULES[rule].level})" in text.output for rule in RULES)


def test_unknown_rule_exits_2_with_the_closest_ids() -> None:
    result = CliRunner().invoke(cli, ["explain", "ladder-dealy-min"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "unknown rule 'ladder-dealy-min'" in lines[0]
    assert "ladder-delay-min" in lines[0]


@pytest.mark.parametrize("args", [[], ["yaml-tab", "--all"]])
def test_a_rule_or_all_but_not_both(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["explain", *args])
    assert result.exit_code == 2


def test_real_process_prints_plain_text_in_a_pipe() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "explain", "double-booked"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("double-booked (error)\n")
    unknown = subprocess.run(
        [sys.executable, "-m", "opskit", "explain", "nope-such-rule"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=REPO,
    )
    assert unknown.returncode == 2
    assert unknown.stderr.count("\n") == 1


def test_sarif_rules_carry_help_and_help_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "policies.yaml").write_text(
        "kind: Person\nname: ada\nemail: ada@example.org\ntimezone: Europe/Berln\n"
        "---\nkind: Team\nname: ops\nmembers: [ada, bob]\n"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "--format", "sarif", "policies.yaml"])
    assert result.exit_code == 1
    rules = json.loads(result.output)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["ref-unknown", "timezone-invalid"]
    for entry in rules:
        text = explain.load(entry["id"])
        assert text is not None
        assert entry["help"]["markdown"] == text.markdown
        assert entry["help"]["text"] == explain.plain_text(text)
        assert entry["helpUri"] == (
            f"https://github.com/opskit/opskit/blob/v{__version__}/opskit/explain/rules/"
            f"{entry['id']}.md"
        )
