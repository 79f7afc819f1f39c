"""One journal event in words: the line `playbook status` prints and the postmortem's
timeline detail, so both tell a run the same way."""

from __future__ import annotations

from typing import Any


def answer_text(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def detail(event: dict[str, Any]) -> str:
    """What the event says, without its name and step."""
    name = str(event.get("event"))
    if name == "run.started":
        inputs = ", ".join(f"{k}={v}" for k, v in (event.get("inputs") or {}).items())
        by = f" by {event['user']}" if event.get("user") else ""
        return f"{event.get('playbook')}{by}" + (f" ({inputs})" if inputs else "")
    if name == "step.started":
        again = ", after an interruption" if event.get("in_flight") else ""
        return f"{event.get('kind', '?')}, attempt {event.get('attempt', 1)}{again}"
    if name == "step.answer":
        return f"{event.get('question')} → {answer_text(event.get('answer'))}"
    if name == "step.note":
        return str(event.get("text", ""))
    if name == "step.output":
        return f"{len(str(event.get('text', '')).splitlines())} lines of output"
    if name == "step.finished":
        adopted = " (adopted)" if event.get("adopted") else ""
        return f"{event.get('outcome')}{adopted} {event.get('message') or ''}".rstrip()
    if name in {"step.failed", "run.aborted"}:
        return str(event.get("message") or event.get("reason") or "")
    if name == "step.skipped":
        return str(event["reason"]) if event.get("reason") else f"when: {event.get('when')}"
    if name == "run.finished":
        return str(event.get("outcome", ""))
    return ""


def line(event: dict[str, Any]) -> str:
    """The event on one line: name, step, detail."""
    name, step = str(event.get("event")), event.get("step")
    head = f"{name:<13} {step}" if step else name
    text = " ".join(detail(event).split())
    return f"{head} {text}" if text else head
