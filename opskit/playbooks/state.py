"""A run's state, replayed from its journal: where it is, what earlier steps output,
whether the current step is in flight, how often each step has finished (its visit)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from opskit.policy.model import Playbook

STRUCTURAL = ("id", "kind", "when")  # not handed to the kind as values (step_api)


@dataclass(slots=True)
class State:
    """A run as its journal tells it."""

    first_step: str | None
    playbook: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    digest: str = ""
    started_at: str = ""
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    current: str | None = None
    attempt: int = 0  # attempts of `current` since it last completed
    open: bool = False  # an attempt started and not ended
    in_doubt: bool = False
    recorded: list[dict[str, Any]] = field(default_factory=list)  # answers of the open attempt
    pending_output: dict[str, str] = field(default_factory=dict)  # the open attempt's output
    executions: int = 0
    completions: dict[str, int] = field(default_factory=dict)  # step -> times it finished
    finished: bool = False
    failed: str | None = None
    started: bool = False

    def __post_init__(self) -> None:
        self.current = self.first_step

    @property
    def in_flight(self) -> bool:
        return self.open or self.in_doubt

    def apply(self, entry: Mapping[str, Any]) -> None:
        event, step = entry["event"], entry.get("step")
        if event == "run.started":
            self.started = True
            self.playbook = str(entry.get("playbook", ""))
            self.inputs = dict(entry.get("inputs") or {})
            self.digest = str(entry.get("digest", ""))
            self.started_at = str(entry.get("at", ""))
        elif event == "step.started":
            if not (self.open and step == self.current):
                self.recorded = []
            self.pending_output.pop(str(step), None)
            self.current, self.open, self.failed = step, True, None
            self.attempt = int(entry.get("attempt", self.attempt + 1))
            self.executions += 1
        elif event in {"step.answer", "step.note"}:
            if self.open and step == self.current:
                self.recorded.append(dict(entry))
        elif event == "step.output":
            self.pending_output[str(step)] = str(entry.get("text", ""))
        elif event == "step.finished":
            outputs = dict(entry.get("outputs") or {})
            if str(step) in self.pending_output:
                outputs.setdefault("output", self.pending_output.pop(str(step)))
            self.outputs[str(step)] = outputs
            self.completions[str(step)] = self.completions.get(str(step), 0) + 1
            self._completed(entry.get("next"))
        elif event == "step.skipped":
            self.outputs.pop(str(step), None)
            self._completed(entry.get("next"))
        elif event == "step.failed":
            self.open, self.failed = False, str(step)
            self.in_doubt = bool(entry.get("in_doubt"))
            self.recorded = []
        elif event == "run.finished":
            self.finished, self.current, self.open = True, None, False

    def _completed(self, following: Any) -> None:
        self.current = following if isinstance(following, str) else None
        self.attempt, self.open, self.in_doubt, self.recorded = 0, False, False, []
        self.failed = None


def replay(playbook: Playbook, events: list[dict[str, Any]]) -> State:
    first = str(playbook.steps[0]["id"]) if playbook.steps else None
    state = State(first)
    for entry in events:
        state.apply(entry)
    return state


def following(playbook: Playbook, step_id: str) -> str | None:
    ids = [str(s["id"]) for s in playbook.steps]
    index = ids.index(step_id)
    return ids[index + 1] if index + 1 < len(ids) else None


def step_values(step: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in step.items() if k not in STRUCTURAL}
