"""Markdown for the job summary, the plan comment and the drift issue.

Everything here is computed from opskit's JSON document (`--format json`), the same for
every command: a run over any number of targets, each with its changes and problems.
Policy text reaches these pages (keys, messages), so it is escaped or fenced: a pull request
cannot inject markup, close a code block early or hide the marker comment.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SIGNS = {"create": "+", "update": "~", "delete": "-"}
# Inline text never starts a line here, so only emphasis, code, links, tables and
# strike-through need escaping; `<`, `>` and `&` go through html.escape.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MENTION = re.compile(r"(^|\s)@")
_BACKTICKS = re.compile(r"`+")


def escape(text: str) -> str:
    """Text as itself in Markdown: no emphasis, links, HTML or table breaks; one line."""
    one_line = " ".join(str(text).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))
    return _MENTION.sub("\\1@\u2060", escaped)  # a word joiner: "@team" pings nobody


def code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    one_line = " ".join(str(text).split())
    longest = max((len(m) for m in _BACKTICKS.findall(one_line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{fence}{pad}{one_line}{pad}{fence}"


def fenced(lines: Sequence[str], language: str = "") -> str:
    """A code block whose fence is longer than any run of backticks inside it."""
    longest = max((len(m) for line in lines for m in _BACKTICKS.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + language, *lines, fence])


def value_text(value: Any) -> str:
    """A field value as opskit's text plan shows it; references read as `type 'key'`."""
    if isinstance(value, dict) and set(value) == {"$ref"} and len(value["$ref"]) == 2:
        kind, key = value["$ref"]
        return f"{kind} {str(key)!r}"
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, dict) and "$ref" in v for v in value)
    ):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= 300 else text[:297] + "..."


def change_lines(change: Mapping[str, Any]) -> list[str]:
    """`+ type 'key'  (file:line:col)` and, for an update, `    name: before → after`."""
    sign = SIGNS.get(str(change.get("action")), "?")
    where = f"  ({change['source']})" if change.get("source") else ""
    key = " ".join(str(change.get("key", "")).split())
    lines = [f"{sign} {change.get('type', '?')} {key!r}{where}"]
    for field in change.get("changes") or []:
        before, after = value_text(field.get("before")), value_text(field.get("after"))
        lines.append(f"    {field.get('name', '?')}: {before} → {after}")
    return lines


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def counts_text(counts: Mapping[str, Any]) -> str:
    text = (
        f"{counts.get('create', 0)} to create, {counts.get('update', 0)} to update, "
        f"{counts.get('delete', 0)} to delete, {counts.get('unchanged', 0)} unchanged"
    )
    if counts.get("kept"):
        text += f" ({counts['kept']} no longer in the policies, kept: deletes need --prune)"
    return text


def problems_text(counts: Mapping[str, Any]) -> str:
    return f"{plural(int(counts.get('errors', 0)), 'error')}, {plural(int(counts.get('warnings', 0)), 'warning')}"


def problem_items(problems: Iterable[Mapping[str, Any]]) -> list[str]:
    items = []
    for problem in problems:
        level = str(problem.get("level", "warning"))
        mark = "❌" if level == "error" else "⚠️"
        where = f" at {code(problem['source'])}" if problem.get("source") else ""
        rule = f" ({code(problem['rule'])})" if problem.get("rule") else ""
        message = escape(problem.get("message", ""))
        items.append(f"- {mark} **{escape(level)}**{where}: {message}{rule}")
    return items


def done_text(target: Mapping[str, Any]) -> str:
    """`2 created, 1 updated`: what applying did to a target."""
    applied = target.get("applied") or {}
    done = applied.get("done") or {}
    return ", ".join(f"{n} {action}d" for action, n in sorted(done.items()) if n) or "nothing"


def applied_text(target: Mapping[str, Any]) -> str:
    applied = target.get("applied")
    if not applied:
        said = {"dry-run": "Dry run: nothing applied.", "refused": "Refused: nothing applied.",
                "not-reached": "Not reached: an earlier target failed."}  # fmt: skip
        if target.get("status") in said:
            return said[target["status"]]
        return "Applied: nothing." if not target.get("pending") else "Not applied."
    text = f"Applied: {done_text(target)}."
    if applied.get("skipped_deletes"):
        text += (
            f" {applied['skipped_deletes']} deletes skipped (apply with --prune to carry them out)."
        )
    failed = applied.get("failed")
    if failed:
        text += (
            f"\n\n❌ **Stopped at {escape(failed.get('type', '?'))} {code(failed.get('key', '?'))}**: "
            f"{escape(applied.get('error') or 'failed')}. Fix the cause and run again: "
            "finished steps are not repeated."
        )
    return text


def target_section(target: Mapping[str, Any], command: str) -> list[str]:
    counts = target.get("counts") or {}
    name = escape(target.get("target", "?"))
    workspace = f" (workspace {escape(target['workspace'])})" if target.get("workspace") else ""
    out = [f"### {name}{workspace}", "", f"{counts_text(counts)}; {problems_text(counts)}."]
    shown = [c for c in target.get("changes") or [] if c.get("action") in SIGNS]
    if shown:
        out += ["", fenced([line for c in shown for line in change_lines(c)], "diff")]
    elif command == "drift":
        out += ["", "No changes by hand."]
    if command == "apply":
        out += ["", applied_text(target)]
    problems = target.get("problems") or []
    if problems:
        out += ["", "**Problems**", "", *problem_items(problems)]
    unmanaged = target.get("unmanaged") or []
    if unmanaged:
        owner = f"opskit/{target['workspace']}" if target.get("workspace") else "opskit"
        out += [
            "",
            f"<details><summary>Left alone: {plural(len(unmanaged), 'object')} not managed by "
            f"{escape(owner)}</summary>",
            "",
            *(
                f"- {escape(o.get('type', '?'))} {code(o.get('key', '?'))} ({escape(o.get('id', ''))})"
                for o in unmanaged
            ),
            "",
            "</details>",
        ]
    return out


def headline(document: Mapping[str, Any], command: str) -> str:
    counts = document.get("counts") or {}
    targets = [str(t.get("target", "?")) for t in document.get("targets") or []]
    if not document.get("ok", False):
        stopped = [
            t for t in document.get("targets") or [] if (t.get("applied") or {}).get("failed")
        ]
        if stopped:
            failed = stopped[0]["applied"]["failed"]
            where = f"{escape(failed.get('type', '?'))} {code(failed.get('key', '?'))}"
            return f"❌ Apply stopped at {where} on {escape(stopped[0].get('target', '?'))}; see below."
        if not document.get("targets") and document.get("problems"):
            errors = plural(int(counts.get("errors", 0)), "error")
            return f"❌ The policies have {errors}; nothing was {'planned' if command == 'plan' else 'done'}."
        return f"❌ {problems_text(counts)}: {escape(command)} failed; see below."
    if command == "drift":
        if document.get("pending"):
            drifted = [escape(t["target"]) for t in document["targets"] if t.get("pending")]
            return f"⚠️ Changed by hand since the last apply: {', '.join(drifted)}."
        return f"✅ No drift: {escape(', '.join(targets))} match the policies."
    if command == "apply":
        done = [f"{escape(t.get('target', '?'))} ({done_text(t)})" for t in document["targets"]]
        return f"✅ Applied to {', '.join(done)}."
    if document.get("pending"):
        return f"✅ {counts_text(counts)}; {problems_text(counts)}."
    return f"✅ Nothing to change in {escape(', '.join(targets))}; {problems_text(counts)}."


def totals_table(document: Mapping[str, Any]) -> list[str]:
    rows = [
        "| target | create | update | delete | unchanged | errors | warnings |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for target in document.get("targets") or []:
        c = target.get("counts") or {}
        rows.append(
            f"| {escape(target.get('target', '?'))} | {c.get('create', 0)} | {c.get('update', 0)} "
            f"| {c.get('delete', 0)} | {c.get('unchanged', 0)} | {c.get('errors', 0)} "
            f"| {c.get('warnings', 0)} |"
        )
    return rows


def report_markdown(document: Mapping[str, Any], command: str, *, stderr: str = "") -> str:
    """The whole run: a headline, a table of every target, then each target's diff."""
    out = [f"## opskit {escape(command)}", "", headline(document, command)]
    if document.get("targets"):
        out += ["", *totals_table(document)]
    for problem in document.get("problems") or []:  # policy errors, before any plan
        out += ["", *problem_items([problem])]
    for target in document.get("targets") or []:
        out += ["", *target_section(target, command)]
    if not document.get("ok", False) and stderr.strip():
        out += [
            "",
            "<details><summary>opskit's messages</summary>",
            "",
            fenced(stderr.splitlines()),
            "",
            "</details>",
        ]
    return "\n".join(out) + "\n"


def failure_markdown(command: str, exit_code: int, stderr: str, what: str) -> str:
    """opskit stopped before it could print a document: policy errors or a runtime failure."""
    lines = stderr.strip().splitlines() or ["(no message)"]
    return "\n".join([
        f"## opskit {escape(command)}", "",
        f"❌ {escape(what)} (exit code {exit_code}).", "",
        fenced(lines),
    ]) + "\n"  # fmt: skip


def validate_markdown(problems: Sequence[Mapping[str, Any]], result: str, exit_code: int) -> str:
    mark = "✅" if exit_code == 0 else "❌"
    out = ["## opskit validate", "", f"{mark} {escape(result or f'exit code {exit_code}')}"]
    if problems:
        out += ["", "| where | level | rule | problem |", "|---|---|---|---|"]
        for p in problems:
            where = p.get("file", "")
            if p.get("line"):
                where += f":{p['line']}:{p.get('col', 1)}"
            out.append(
                f"| {code(where) if where else ''} | {escape(p.get('level', ''))} "
                f"| {code(p['title']) if p.get('title') else ''} | {escape(p.get('message', ''))} |"
            )
    return "\n".join(out) + "\n"


def cap(text: str, limit: int, where_whole: str) -> str:
    """`text` cut to at most `limit` characters on a line boundary, with any open code
    block or <details> closed again and a note saying what was left out and where it is."""
    if len(text) <= limit:
        return text
    note_reserve = 400
    kept: list[str] = []
    size = 0
    fence: str | None = None
    in_details = False
    for line in text.splitlines():
        if size + len(line) + 1 > limit - note_reserve:
            break
        kept.append(line)
        size += len(line) + 1
        stripped = line.strip()
        if fence is None and stripped.startswith("```"):
            fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
        elif fence is not None and stripped == fence:
            fence = None
        elif stripped.startswith("<details>"):
            in_details = True
        elif stripped == "</details>":
            in_details = False
    if fence is not None:
        kept.append(fence)
    if in_details:
        kept += ["", "</details>"]
    left_out = len(text) - size
    kept += [
        "",
        f"> **Truncated:** {left_out:,} of {len(text):,} characters are left out here; "
        f"{where_whole}.",
    ]
    return "\n".join(kept) + "\n"


def redact(text: str, secrets: Iterable[str]) -> str:
    """Belt and braces: opskit never prints a secret, and nothing here should either."""
    for secret in sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
