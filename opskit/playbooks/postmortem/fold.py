"""The run's steps as its journal left them: outcome, answers, notes, outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opskit.playbooks.postmortem.clock import Clock, Stamp
from opskit.playbooks.timeline import answer_text

PAGE_ACTIONS = {"trigger", "acknowledge", "resolve"}


@dataclass
class Folded:
    """A run's steps as its journal left them, how the run ended, and where it was going."""

    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    state: str = "interrupted"  # finished, failed or interrupted
    pending_next: str | None = None  # where the run was going when it stopped


def _new_step(step_id: str, at: Stamp) -> dict[str, Any]:
    return {
        "id": step_id, "kind": "?", "outcome": "started, not finished", "adopted": False,
        "message": "", "notes": [], "answers": [], "outputs": {}, "at": at, "ended": None,
        "attempts": 0, "state": "in flight", "ended_at": None,
    }  # fmt: skip


def fold(events: list[dict[str, Any]], clock: Clock) -> Folded:
    out = Folded()
    for event in events:
        name, step_id = str(event.get("event")), event.get("step")
        if name == "run.finished":
            out.state = "finished"
            continue
        if not step_id or not name.startswith("step."):
            continue
        at = clock.stamp(event.get("at"))
        step = out.steps.setdefault(str(step_id), _new_step(str(step_id), at))
        step["kind"] = str(event.get("kind") or step["kind"])
        if name == "step.started":
            step["attempts"] = max(step["attempts"], int(event.get("attempt") or 1))
            step["state"], step["outcome"] = "in flight", "started, not finished"
            out.state = "interrupted"
        elif name == "step.answer":
            step["answers"].append({
                "question": str(event.get("question", "")),
                "answer": answer_text(event.get("answer")),
                "declined": event.get("answer") is False,
            })  # fmt: skip
        elif name == "step.note":
            step["notes"].append(str(event.get("text", "")))
        elif name == "step.finished":
            step.update(
                state="finished", outcome=str(event.get("outcome", "done")),
                adopted=bool(event.get("adopted")), message=str(event.get("message") or ""),
                outputs=event.get("outputs") or {}, ended=at, ended_at=event.get("at"),
            )  # fmt: skip
            out.pending_next, out.state = event.get("next"), "interrupted"
        elif name == "step.skipped":
            why = event.get("reason") or f"when: {event.get('when')}"
            step.update(state="skipped", outcome=f"skipped ({why})", ended=at)
            out.pending_next, out.state = event.get("next"), "interrupted"
        elif name == "step.failed":
            message = str(event.get("message") or "")
            step.update(state="failed", outcome="failed", message=message, ended=at)
            out.state = "failed"
    for step in out.steps.values():
        if step["kind"] == "?":
            step["kind"] = guess_kind(step["outputs"])
    return out


def guess_kind(outputs: Any) -> str:
    """A step's kind from its outputs, for journals written before events carried it."""
    if not isinstance(outputs, dict):
        return "?"
    if "on_call" in outputs:
        return "notify"
    if "dedup_key" in outputs and outputs.get("action") in PAGE_ACTIONS:
        return "page"
    if "clocks" in outputs or "untracked" in outputs:
        return "sla"
    if "key" in outputs and "url" in outputs:
        return "jira"
    return "?"
