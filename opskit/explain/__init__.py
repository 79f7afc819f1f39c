"""What each rule checks and why, as text: one Markdown file per rule id, shipped as data.

Each file in `rules/` is named `<rule-id>.md`: a first line that says in one sentence
what the rule checks, then `## Why`, `## Example` and `## Fix`. This package only reads
the texts; the CLI joins them with the rule table (`opskit.rules`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from opskit import __version__

__all__ = [
    "SECTIONS",
    "Explanation",
    "available",
    "closest",
    "help_uri",
    "load",
    "parse",
    "plain_text",
    "source_path",
]

SECTIONS = ("Why", "Example", "Fix")
REPOSITORY = "https://github.com/opskit/opskit"

_HEADING = re.compile(r"^## (.+?)\s*$", re.MULTILINE)
_FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Explanation:
    """A rule's shipped text: its one-sentence summary, why, example and fix."""

    rule: str
    summary: str
    why: str
    example: str
    fix: str
    markdown: str


def _folder() -> Traversable:
    return resources.files(__name__).joinpath("rules")


def source_path(rule: str) -> str:
    """Where the rule's text lives in the repository."""
    return f"opskit/explain/rules/{rule}.md"


def help_uri(rule: str) -> str:
    """The rule's text on GitHub, at the tag of this version."""
    return f"{REPOSITORY}/blob/v{__version__}/{source_path(rule)}"


def available() -> list[str]:
    """Every rule id that has a text, sorted."""
    return sorted(
        entry.name.removesuffix(".md")
        for entry in _folder().iterdir()
        if entry.is_file() and entry.name.endswith(".md")
    )


def load(rule: str) -> Explanation | None:
    """The rule's text, or None if it has none."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", rule):
        return None
    entry = _folder().joinpath(f"{rule}.md")
    if not entry.is_file():
        return None
    return parse(rule, entry.read_text(encoding="utf-8"))


def parse(rule: str, markdown: str) -> Explanation:
    """Split a text into its parts; a missing part is a ValueError naming it."""
    summary, _, rest = markdown.strip().partition("\n")
    if not summary.strip() or summary.startswith("#"):
        raise ValueError(f"{rule}: the first line must be a one-line summary")
    parts = _HEADING.split(rest)
    sections: dict[str, str] = {}
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        sections[title] = body.strip()
    missing = [s for s in SECTIONS if not sections.get(s)]
    if missing:
        raise ValueError(f"{rule}: missing or empty section(s): {', '.join(missing)}")
    return Explanation(
        rule=rule,
        summary=summary.strip(),
        why=sections["Why"],
        example=sections["Example"],
        fix=sections["Fix"],
        markdown=markdown.strip() + "\n",
    )


def closest(rule: str, known: list[str], count: int = 3) -> list[str]:
    """The known ids nearest to a mistyped one."""
    return difflib.get_close_matches(rule, known, n=count, cutoff=0.5)


def plain_text(explanation: Explanation) -> str:
    """The text without Markdown: headings as words, code blocks indented, no backticks."""

    def section(body: str) -> str:
        body = _FENCE.sub(lambda m: _indent(m.group(2)), body)
        return re.sub(r"`([^`\n]+)`", r"\1", body).strip("\n")

    out = [explanation.summary.replace("`", "")]
    for title, body in zip(
        SECTIONS, (explanation.why, explanation.example, explanation.fix), strict=True
    ):
        out += ["", title, "", section(body)]
    return "\n".join(out) + "\n"


def _indent(code: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in code.rstrip("\n").split("\n"))
