"""Playbooks: the schema's shapes, and the rules that read a playbook as a program
(templates, flow, loops, programs), each firing at its place and not on good input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from opskit.cli import cli
from opskit.policy.checks import playbooks_flow
from opskit.rules import RULES

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "playbooks").glob("*.yaml"))
NEW_RULES = {
    "playbook-template-invalid": "error",
    "playbook-unknown-reference": "error",
    "playbook-unreachable-step": "error",
    "playbook-cycle-without-wait": "error",
    "playbook-program-not-found": "warning",
}

HEAD = "kind: Playbook\nname: pb\ntitle: A playbook\n"


def problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> list[tuple[str, int, int, str]]:
    (tmp_path / "policies.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["validate", "--strict", "--format", "json", "policies.yaml"], catch_exceptions=False
    )
    report = json.loads(result.output)
    return [(p["rule"], p["line"], p["column"], p["message"]) for p in report["problems"]]


def at(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first `needle` in `text` (at its `|`, if it has one)."""
    mark = needle.find("|")
    offset = text.index(needle.replace("|", "")) + max(mark, 0)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# (case id, steps and more after the head, [(rule, where: the text the problem points at)])
BAD = [
    (
        "undeclared-input",
        "steps:\n  - id: a\n    kind: manual\n    checklist: ['{{ inputs.region }}']\n",
        [("playbook-unknown-reference", "'{{ inputs.region")],
    ),
    (
        "undeclared-input-by-subscript",
        "steps:\n  - id: a\n    kind: http\n    url: \"https://x.example/{{ inputs['zone'] }}\"\n",
        [("playbook-unknown-reference", '"https://x')],
    ),
    (
        "unknown-name",
        "steps:\n  - id: a\n    kind: jira\n    action: comment\n    body: '{{ ticket }}'\n",
        [("playbook-unknown-reference", "'{{ ticket")],
    ),
    (
        "unknown-step",
        "steps:\n  - id: a\n    kind: jira\n    action: comment\n"
        "    issue: '{{ steps.nope.key }}'\n",
        [("playbook-unknown-reference", "'{{ steps.nope")],
    ),
    (
        "later-step",
        "steps:\n  - id: a\n    kind: manual\n    checklist: ['{{ steps[\"open-it\"].key }}']\n"
        "  - id: open-it\n    kind: jira\n    action: create\n    project: OPS\n",
        [("playbook-unknown-reference", "'{{ steps[")],
    ),
    (
        "own-output-in-when",
        "steps:\n  - id: a\n    kind: manual\n    when: steps.a.note\n",
        [("playbook-unknown-reference", "steps.a.note")],
    ),
    (
        "of-names-a-manual-step",
        "steps:\n  - id: a\n    kind: manual\n  - id: b\n    kind: page\n    action: resolve\n"
        "    service: '{{ inputs.service }}'\n    of: a\n",
        [("playbook-unknown-reference", "of: |a")],
    ),
    (
        "template-syntax",
        "steps:\n  - id: a\n    kind: manual\n    checklist: ['{{ inputs.service ']\n",
        [("playbook-template-invalid", "'{{ inputs")],
    ),
    (
        "when-syntax",
        "steps:\n  - id: a\n    kind: manual\n    when: '{{ inputs.service == }}'\n",
        [("playbook-template-invalid", "'{{ inputs")],
    ),
    (
        "when-trailing-text",
        "steps:\n  - id: a\n    kind: manual\n    when: inputs.service }} {{ inputs.ticket\n",
        [("playbook-template-invalid", "inputs.service }}")],
    ),
    (
        "unreachable-after-decide",
        "steps:\n  - id: q\n    kind: decide\n    question: Which?\n"
        "    options: {x: c, y: c}\n  - id: b\n    kind: manual\n  - id: b2\n    kind: manual\n"
        "  - id: c\n    kind: manual\n",
        [("playbook-unreachable-step", "id: |b\n")],  # once for the run of b and b2
    ),
    (
        "cycle-without-wait",
        "steps:\n  - id: a\n    kind: manual\n  - id: q\n    kind: decide\n"
        "    question: Again?\n    options: {again: a, done: z}\n  - id: z\n    kind: manual\n",
        [("playbook-cycle-without-wait", "a, done")],
    ),
    (
        "decide-loops-to-itself",
        "steps:\n  - id: q\n    kind: decide\n    question: Sure?\n"
        "    options: {ask-again: q, done: z}\n  - id: z\n    kind: manual\n",
        [("playbook-cycle-without-wait", "q, done")],
    ),
    (
        "program-missing",
        "steps:\n  - id: a\n    kind: run\n    argv: [opskit-no-such-program, --help]\n",
        [("playbook-program-not-found", "opskit-no-such-program")],
    ),
    (
        "program-missing-in-repo",
        "steps:\n  - id: a\n    kind: run\n    argv: [scripts/nope.sh]\n",
        [("playbook-program-not-found", "scripts/nope.sh")],
    ),
    (
        "cwd-leaves-repo",
        "steps:\n  - id: a\n    kind: run\n    argv: [ls]\n    cwd: sub/../../etc\n",
        [("path-outside-repository", "sub/../")],
    ),
    (
        "cwd-absolute",
        "steps:\n  - id: a\n    kind: run\n    argv: [ls]\n    cwd: /etc\n",
        [("path-outside-repository", "/etc")],
    ),
]

GOOD = [
    (
        "declared-and-shortcut-inputs",
        "inputs:\n  region: {kind: text, default: eu}\n"
        "steps:\n  - id: a\n    kind: manual\n"
        "    checklist: ['{{ inputs.region }} {{ inputs.service }} {{ inputs.ticket }}']\n"
        "    when: inputs.customer\n",
    ),
    (
        "earlier-step-by-dashes-and-underscores",
        "steps:\n  - id: open-it\n    kind: jira\n    action: create\n    project: OPS\n"
        "  - id: b\n    kind: jira\n    action: comment\n"
        "    issue: '{{ steps[\"open-it\"].key }}'\n"
        "    body: '{{ steps.open_it.url }} {{ steps[\"open_it\"].key | lower }}'\n",
    ),
    (
        "loops-locals-and-globals",
        "inputs:\n  names: {}\n"
        "steps:\n  - id: a\n    kind: manual\n"
        '    checklist: [\'{% for n in inputs.names.split(",") %}{{ n }}{% endfor %}'
        "{% set k = 3 %}{{ k }}{{ range(2) | list }}']\n",
    ),
    (
        "braces-that-are-text",
        "steps:\n  - id: a\n    kind: http\n    url: https://x.example\n    json: {text: 'a {b} c'}\n",
    ),
    (
        "when-with-braces",
        "steps:\n  - id: a\n    kind: sla\n    when: '{{ inputs.ticket }}'\n"
        "    ticket: '{{ inputs.ticket }}'\n",
    ),
    (
        "loop-with-wait",
        "steps:\n  - id: a\n    kind: http\n    url: https://x.example\n"
        "  - id: w\n    kind: wait\n    duration: 1m\n  - id: q\n    kind: decide\n"
        "    question: Green?\n    options: {red: a, green: z}\n  - id: z\n    kind: manual\n",
    ),
    (
        "forward-decide-both-branches",
        "steps:\n  - id: q\n    kind: decide\n    question: Which?\n"
        "    options: {x: b, y: c}\n  - id: b\n    kind: manual\n  - id: c\n    kind: manual\n",
    ),
    (
        "programs-on-path-templated-required-or-in-repo",
        "requires: [ceph]\n"
        f"steps:\n  - id: a\n    kind: run\n    argv: [{Path(sys.executable).name}, -V]\n"
        f"  - id: a2\n    kind: run\n    argv: ['{Path(sys.executable)}', -V]\n"
        "  - id: b\n    kind: run\n    argv: ['{{ inputs.service }}']\n"
        "  - id: c\n    kind: run\n    argv: [ceph, health]\n"
        "  - id: d\n    kind: run\n    argv: [./check.sh]\n    cwd: tools\n"
        "    env: [HOME_REGION]\n    rerun: safe\n",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in BAD], ids=[c for c, _, _ in BAD]
)
def test_each_rule_fires_at_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: list[tuple[str, str]]
) -> None:
    document = HEAD + text
    found = [
        (rule, line, column) for rule, line, column, _ in problems(tmp_path, monkeypatch, document)
    ]
    assert found == [(rule, *at(document, where)) for rule, where in expected]


@pytest.mark.parametrize("text", [t for _, t in GOOD], ids=[c for c, _ in GOOD])
def test_good_playbooks_have_no_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "check.sh").write_text("#!/bin/sh\n")
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    assert problems(tmp_path, monkeypatch, HEAD + text) == []


def test_messages_say_what_is_wrong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + (
        "steps:\n  - id: a\n    kind: manual\n    checklist: ['{{ inputs.regoin }}']\n"
        "  - id: q\n    kind: decide\n    question: Again?\n    options: {again: a, on-we-go: z}\n"
        "  - id: b\n    kind: manual\n  - id: z\n    kind: manual\n"
        "    checklist: ['{{ steps.b.note }}']\n"
    )
    messages = {rule: message for rule, _, _, message in problems(tmp_path, monkeypatch, text)}
    assert messages == {
        "playbook-unknown-reference": "step 'a': input 'regoin' is not declared in the playbook's "
        "inputs (known: customer, service, ticket)",
        "playbook-cycle-without-wait": "answer 'again' of step 'q' loops back to 'a' with no wait "
        "step in the loop",
        "playbook-unreachable-step": "step 'b' is never reached: the step before it is a decide "
        "and no option leads here",
    }


def test_an_unreachable_loop_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = HEAD + (
        "steps:\n  - id: q\n    kind: decide\n    question: Which?\n    options: {x: z, y: z}\n"
        "  - id: a\n    kind: manual\n  - id: r\n    kind: decide\n    question: Again?\n"
        "    options: {again: a, done: z}\n  - id: z\n    kind: manual\n"
    )
    found = problems(tmp_path, monkeypatch, text)
    assert [(rule, line) for rule, line, _, _ in found] == [("playbook-unreachable-step", 9)]
    assert "(nor the 1 after it)" in found[0][3]


# (case id, steps, what the schema message mentions)
SCHEMA_BAD = [
    ("unknown-kind", "  - {id: a, kind: shell, command: ls}\n", "shell"),
    ("argv-a-string", "  - {id: a, kind: run, argv: ls -l}\n", "argv"),
    ("rerun-value", "  - {id: a, kind: run, argv: [ls], rerun: always}\n", "always"),
    ("env-not-a-name", "  - {id: a, kind: run, argv: [ls], env: ['A=B']}\n", "A=B"),
    ("header-not-a-string", "  - {id: a, kind: http, url: 'https://x', headers: {X: [1]}}\n", "X"),
    (
        "header-env-extra",
        "  - {id: a, kind: http, url: 'https://x', headers: {X: {env: T, y: 1}}}\n",
        "X",
    ),
    ("wait-until-is-not-a-kind-of-wait", "  - {id: a, kind: wait, until: {step: b}}\n", "a"),
    ("wait-neither", "  - {id: a, kind: wait}\n", "a"),
    ("notify-without-service", "  - {id: a, kind: notify, message: hi}\n", "service"),
    ("sla-without-ticket", "  - {id: a, kind: sla}\n", "ticket"),
    (
        "page-bad-service",
        "  - {id: a, kind: page, action: trigger, service: 'no spaces'}\n",
        "no spaces",
    ),
    ("when-not-a-string", "  - {id: a, kind: manual, when: [x]}\n", "when"),
    ("title-too-long", f"  - {{id: a, kind: manual, title: {'x' * 201}}}\n", "201"),
]


@pytest.mark.parametrize(
    ("steps", "mention"), [(s, m) for _, s, m in SCHEMA_BAD], ids=[c for c, _, _ in SCHEMA_BAD]
)
def test_schema_rejects_bad_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, steps: str, mention: str
) -> None:
    found = problems(tmp_path, monkeypatch, HEAD + "steps:\n" + steps)
    assert {rule for rule, *_ in found} == {"schema"}, found
    assert any(mention in message for *_, message in found), found


@pytest.mark.parametrize(
    "inputs",
    [
        "inputs: {Region: {}}\n",
        "inputs: {region: {kind: number}}\n",
        "inputs: {region: {required: 'yes please'}}\n",
        "inputs: {region: {secret: true}}\n",
        "requires: ['ceph health']\n",
    ],
)
def test_schema_rejects_bad_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inputs: str
) -> None:
    text = HEAD + inputs + "steps:\n  - {id: a, kind: manual}\n"
    assert {rule for rule, *_ in problems(tmp_path, monkeypatch, text)} == {"schema"}


def test_input_defaults_name_policies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + (
        "inputs:\n  service: {kind: service, default: nope}\n"
        "steps:\n  - id: a\n    kind: notify\n    service: '{{ inputs.service }}'\n"
        "  - id: b\n    kind: page\n    action: trigger\n    service: web\n"
    )
    found = [
        (rule, line, column) for rule, line, column, _ in problems(tmp_path, monkeypatch, text)
    ]
    assert found == [
        ("ref-unknown", *at(text, "nope")),
        ("ref-unknown", *at(text, "service: |web")),
    ]


def test_the_rules_are_registered_with_their_levels() -> None:
    for rule, level in NEW_RULES.items():
        assert str(RULES[rule].level) == level


def test_the_examples_use_templates_and_every_new_kind() -> None:
    kinds = set()
    for path in EXAMPLES:
        kinds |= {
            line.split("kind:")[1].strip()
            for line in path.read_text().splitlines()
            if line.strip().startswith("kind:")
        }
    assert {"notify", "sla", "page", "jira", "wait", "decide", "manual", "run", "http"} <= kinds
    assert {p.name for p in EXAMPLES} >= {
        "storage-outage.yaml",
        "customer-escalation.yaml",
        "p1-major-incident.yaml",
    }


def test_the_shipped_repository_validates_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["validate", "--strict"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_template_references_are_read_from_the_syntax_tree() -> None:
    tree = playbooks_flow.parse("{{ steps['a-b'].key }} {{ inputs.x | default(steps.c) }}", False)
    assert sorted(playbooks_flow.references(tree)) == [
        ("inputs", "x"),
        ("steps", "a-b"),
        ("steps", "c"),
    ]
    expression = playbooks_flow.parse("{{ inputs.region == 'eu' }}", True)
    assert list(playbooks_flow.references(expression)) == [("inputs", "region")]
    assert playbooks_flow.unknown_names(playbooks_flow.parse("{{ a }}{{ range(1) }}", False)) == {
        "a"
    }
