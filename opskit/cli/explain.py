"""opskit explain: what a rule checks, why it matters, an example and the fix."""

from __future__ import annotations

import json
from typing import Any

import click

from opskit import explain as texts
from opskit.cli.console import console
from opskit.cli.options import format_option
from opskit.errors import OpskitError, UsageError
from opskit.rules import RULES


@click.command()
@click.argument("rule", required=False)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Explain every rule, in the order `opskit rules` lists them.",
)
@format_option("text", "json", "markdown")
def explain(rule: str | None, every: bool, output_format: str) -> int:
    """Explain a rule: what it checks, why it matters, a failing example and the fix.

    RULE is a rule id, as in `[rule-id]` at the end of a problem (`opskit rules` lists
    them all). Text is rendered on a terminal and plain in a pipe; `--format markdown`
    prints the source, `--format json` a list of entries.
    """
    if every == (rule is not None):
        raise UsageError("name one RULE, or give --all")
    chosen = list(RULES) if every else [_known(rule or "")]
    found = [_load(r) for r in chosen]
    if output_format == "json":
        click.echo(json.dumps([_entry(t) for t in found], indent=2, ensure_ascii=False))
    elif output_format == "markdown":
        if every:
            click.echo("\n".join(f"# {t.rule}\n\n{t.markdown}" for t in found), nl=False)
        else:
            click.echo(found[0].markdown, nl=False)
    else:
        _text(found)
    return 0


def _known(rule: str) -> str:
    if rule in RULES:
        return rule
    near = texts.closest(rule, list(RULES))
    hint = f"; did you mean {', '.join(near)}?" if near else "; `opskit rules` lists them"
    raise UsageError(f"unknown rule {rule!r}{hint}")


def _load(rule: str) -> texts.Explanation:
    found = texts.load(rule)
    if found is None:  # the test suite keeps one text per rule; this is a packaging fault
        raise OpskitError(f"no explanation is installed for rule {rule!r}")
    return found


def _heading(text: texts.Explanation) -> str:
    return f"{text.rule} ({RULES[text.rule].level})"


def _entry(text: texts.Explanation) -> dict[str, Any]:
    rule = RULES[text.rule]
    return {
        "id": rule.id,
        "level": str(rule.level),
        "summary": rule.summary,
        "explanation": text.summary,
        "why": text.why,
        "example": text.example,
        "fix": text.fix,
        "markdown": text.markdown,
        "help_uri": texts.help_uri(rule.id),
    }


def _text(found: list[texts.Explanation]) -> None:
    out = console()
    if out.is_terminal:
        from rich.markdown import Markdown

        for i, text in enumerate(found):
            if i:
                out.rule()
            out.print(Markdown(f"# {_heading(text)}\n\n{text.markdown}"))
        return
    click.echo("\n".join(f"{_heading(t)}\n\n{texts.plain_text(t)}" for t in found), nl=False)
