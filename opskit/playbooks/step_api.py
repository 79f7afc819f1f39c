"""What the runner and the step kinds agree on: a step kind gets a `StepContext` (the
step's values already rendered from the inputs and earlier outputs) and answers a
`StepResult`. Kinds are listed by name in `opskit.playbooks.steps.KINDS`.

A kind with an effect outside opskit (a page, a Jira issue or comment, an HTTP call, a
command) is told through `ctx.in_flight` that an earlier attempt started and never
finished (the run was killed): it must first look for that attempt's effect in the
target, by the marks it leaves (`ctx.mark`: the PagerDuty dedup key, a Jira label and
entity property, an HTTP Idempotency-Key), and adopt it (`StepResult(adopted=True)`)
instead of doing it again. A kind whose effect cannot be seen (`run`) asks before running
again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from opskit.policy.model import Policy


@dataclass(frozen=True, slots=True)
class Interaction:
    """How a step talks to the engineer: a terminal, --yes, or an --answers file."""

    ask: Callable[[str, list[str]], str]  # question, choices -> the choice
    confirm: Callable[[str], bool]  # a checklist item or "run it again?"
    note: Callable[[], str]  # free text ("" for none)
    say: Callable[[str], None]  # a line of progress
    # the answers file's plain answer for this step, if any ("end" for a drill's wait)
    given: Callable[[], Any] = field(default=lambda: None)


@dataclass(frozen=True, slots=True)
class StepContext:
    """What a step kind is given for one attempt: the step's rendered values and the run."""

    run_id: str  # e.g. "20261202T031500Z-storage-outage-7f3a"
    playbook: str
    step_id: str
    kind: str
    values: Mapping[str, Any]  # the step's keys, templates rendered (id/kind/when removed)
    attempt: int  # 1 for the first try
    in_flight: bool  # an earlier attempt started and never finished
    visit: int  # 1 the first time the run reaches the step; a `decide` loop comes back
    policy: Policy
    inputs: Mapping[str, Any]
    outputs: Mapping[str, Mapping[str, Any]]  # earlier steps' outputs by step id
    io: Interaction
    env: Mapping[str, str]  # the process environment (secrets never journaled)

    @property
    def mark(self) -> str:
        """The step's identity in the targets: `opskit-<run id>-<step id>`, lower case,
        usable as a Jira label, a dedup key or an idempotency key; from the second visit of
        a loop on, `-v<visit>` is added, so each visit's effect is its own."""
        base = f"opskit-{self.run_id}-{self.step_id}".lower()
        return base if self.visit == 1 else f"{base}-v{self.visit}"


@dataclass(frozen=True, slots=True)
class StepResult:
    """What a step kind answers for one attempt: outcome, outputs, and where to go next."""

    outcome: str  # "done" | "failed" | "skipped"
    outputs: dict[str, Any] = field(default_factory=dict)  # JSON values, small
    next_step: str | None = None  # `decide`: where the run goes next
    adopted: bool = False  # the effect of an interrupted attempt was found, not redone
    message: str = ""  # one line for the timeline


class StepKind(Protocol):
    def describe(self, values: Mapping[str, Any]) -> str:
        """One or more lines for --dry-run and `show`: what the step would do."""
        ...

    def execute(self, ctx: StepContext) -> StepResult: ...


class StepFailed(Exception):
    """A step that failed in a way the engineer should read (the message is the line)."""
