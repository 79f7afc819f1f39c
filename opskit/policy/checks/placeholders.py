"""The placeholders an enforcement comment may use, filling them, and the policy check.

Only bare names are placeholders: `{key}` is, `{key.__class__}`, `{key!r}` and `{key:>9}`
are not (text is never handed to `str.format`, so a policy can reach no attribute).
`{{` and `}}` are a literal brace. Policy checks use it to
validate templates, `opskit sla enforce` to fill them.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping

from opskit.policy.checks.base import Context, Finding

RULE_ID = "enforce-placeholder-unknown"
RULE_SUMMARY = (
    "enforce comments use only {key} {metric} {state} {priority} {tier} {deadline} {remaining}"
)
NAMES = ("key", "metric", "state", "priority", "tier", "deadline", "remaining")
_FORMATTER = string.Formatter()


def _pieces(text: str) -> Iterator[tuple[str, str | None]]:
    """(literal, placeholder or None); raises ValueError on an unbalanced brace."""
    for literal, name, spec, conversion in _FORMATTER.parse(text):
        if name is None:
            yield literal, None
        else:
            whole = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            yield literal, whole


def problems(text: str) -> list[str]:
    """What is wrong with a comment template, one message each (empty: it is fine)."""
    try:
        found = [name for _, name in _pieces(text) if name is not None]
    except ValueError as error:
        return [f"{error}; write {{{{ and }}}} for a literal brace"]
    unknown = sorted({name for name in found if name not in NAMES})
    if not unknown:
        return []
    shown = ", ".join("{" + name[:40] + "}" for name in unknown)
    known = " ".join("{" + n + "}" for n in NAMES)
    return [f"unknown placeholder(s) {shown}; use {known}, or {{{{ }}}} for a literal brace"]


def fill(text: str, values: Mapping[str, str]) -> str:
    """The template with its placeholders filled; anything else is kept as written."""
    try:
        pieces = list(_pieces(text))
    except ValueError:
        return text  # validation reports it; at run time the text goes out as written
    out: list[str] = []
    for literal, name in pieces:
        out.append(literal)
        if name is not None:
            out.append(values.get(name, "{" + name + "}"))
    return "".join(out)


def unknown_placeholders(context: Context) -> Iterator[Finding]:
    """The check for RULE_ID: each tier's enforce comment, at its `text`."""
    for tier in context.policy.tiers.values():
        for state, enforcement in tier.enforce.items():
            if enforcement.comment is None:
                continue
            for message in problems(enforcement.comment.text):
                yield Finding(
                    tier.source.at("enforce", state, "comment", "text"),
                    f"tier {tier.name!r} enforce.{state} comment: {message}",
                )
