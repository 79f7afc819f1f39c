"""The runner: the state of a run from its journal, the next step, and doing it.

Everything the runner knows about a run comes from the journal (`State.apply` is used
both to replay it and, live, on each entry just written), so a resumed run continues
exactly where the journal stops:

- Steps run in list order; a `decide` jumps to its answer's step; a step with `when`
  (a template expression) that is false is `step.skipped`. The run ends after the last
  step (`run.finished`) or stops at a failed step (`step.failed`; `resume` retries it).
- A step started and never finished (the process was killed, or Ctrl-C) is *in flight*:
  its next attempt gets `in_flight=True` and `attempt` one more. The questions it already
  had answered are answered again from the journal (not asked, not journaled twice).
- An attempt that failed for want of an answer while in flight (`Undecided`) leaves the
  step in doubt: the next attempt is still in flight.

Entries, besides `seq`, `at` and `event`:

    run.started   playbook, title, inputs, source (file), digest (of the playbook), user
    step.started  step, kind, attempt, in_flight
    step.answer   step, question, answer          (a choice, or true/false)
    step.note     step, text
    step.output   step, attempt, text, truncated  (at most 64 KiB of text)
    step.finished step, attempt, outcome, outputs, adopted, message, next
    step.skipped  step, kind, when or reason, next
    step.failed   step, attempt, message, in_doubt, target (a remote failed)
    run.aborted   step, reason                    (Ctrl-C; resume continues)
    run.finished  outcome

Secrets: values of environment variables never reach the journal; only what steps answer
does (outputs, messages, the captured output of commands).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Mapping
from typing import Any, Protocol

from opskit.errors import ExitCode, OpskitError
from opskit.playbooks import render
from opskit.playbooks.answers import Responder, Undecided
from opskit.playbooks.journal import Journal
from opskit.playbooks.state import State, following, replay, step_values
from opskit.playbooks.step_api import Interaction, StepContext, StepFailed, StepResult
from opskit.policy.model import Playbook, Policy
from opskit.sync.errors import TargetError

__all__ = ["Runner", "State", "digest", "following", "replay", "step_values"]

DRILL_SKIPPABLE = ("run", "http")
DRILL_SKIP = "drill-skip"
MAX_OUTPUT = 64 * 1024
MAX_OUTPUTS_JSON = 64 * 1024
MAX_EXECUTIONS = 1000  # steps done in one run, loops of decides included
TRUNCATED = "\n[… output truncated by opskit at 64 KiB]"


class Reporter(Protocol):
    def step(self, index: int, total: int, step: dict[str, Any], following: str | None) -> None: ...
    def say(self, text: str) -> None: ...
    def outcome(self, state: str, step: str, message: str) -> None: ...
    def end(self, text: str) -> None: ...


def digest(playbook: Playbook) -> str:
    data = json.dumps({"name": playbook.name, "steps": playbook.steps}, sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(data.encode()).hexdigest()[:16]


def source_file(playbook: Playbook) -> str:
    return str(playbook.source.document.path)


def bound_text(text: str, limit: int = MAX_OUTPUT) -> tuple[str, bool]:
    data = text.encode(errors="replace")
    if len(data) <= limit:
        return text, False
    return data[:limit].decode(errors="ignore") + TRUNCATED, True


class Runner:
    """Runs (or resumes) one run of a playbook, writing its journal as it goes."""

    def __init__(
        self,
        policy: Policy,
        playbook: Playbook,
        run_id: str,
        journal: Journal,
        responder: Responder,
        reporter: Reporter,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.policy = policy
        self.playbook = playbook
        self.run_id = run_id
        self.journal = journal
        self.responder = responder
        self.reporter = reporter
        self.env = dict(os.environ if env is None else env)
        self.steps = {str(s["id"]): s for s in playbook.steps}
        self.state = replay(playbook, journal.events)

    def record(self, event: str, **fields: Any) -> dict[str, Any]:
        entry = self.journal.append(event, **fields)
        self.state.apply(entry)
        return entry

    def start(self, inputs: Mapping[str, Any]) -> None:
        self.record(
            "run.started", playbook=self.playbook.name, title=self.playbook.title,
            inputs=dict(inputs), source=source_file(self.playbook), digest=digest(self.playbook),
            user=_user(),
        )  # fmt: skip

    def run(self) -> ExitCode:
        state = self.state
        if not state.started:
            raise OpskitError(
                f"run {self.run_id} never started (stopped before its first entry): "
                "start a new run",
                ExitCode.USAGE,
            )
        if state.finished:
            self.reporter.end(f"run {self.run_id} has already finished")
            return ExitCode.OK
        while state.current is not None:
            try:
                code = self._one(state.current)
            except KeyboardInterrupt:  # between steps (in a step, _one journals it)
                self.record("run.aborted", step=state.current, reason="interrupted (Ctrl-C)")
                return ExitCode.INTERRUPTED
            if code is not None:
                return code
        self.record("run.finished", outcome="done")
        self.reporter.end(f"playbook {self.playbook.name} finished")
        return ExitCode.OK

    def _one(self, step_id: str) -> ExitCode | None:
        step = self.steps.get(step_id)
        if step is None:
            raise OpskitError(
                f"run {self.run_id} is at step {step_id!r}, which playbook "
                f"{self.playbook.name} no longer has"
            )
        if self.state.executions >= MAX_EXECUTIONS:
            return self._fail(step_id, f"more than {MAX_EXECUTIONS} steps in one run: a loop?")
        ids = list(self.steps)
        after = following(self.playbook, step_id)
        shown_next = "depends on the answer" if step.get("kind") == "decide" else after
        self.reporter.step(ids.index(step_id) + 1, len(ids), dict(step), shown_next)
        names = render.context(self.state.inputs, self.state.outputs)
        if "when" in step and not self.state.in_flight:
            try:
                holds = render.evaluate(step["when"], names, f"step {step_id}: when")
            except render.TemplateProblem as problem:
                return self._fail(step_id, str(problem))
            if not holds:
                self.record(
                    "step.skipped", step=step_id, kind=str(step["kind"]), when=str(step["when"]),
                    next=after,
                )  # fmt: skip
                self.reporter.outcome("skipped", step_id, f"when: {step['when']}")
                return None
        if self._drill_skip(step_id, step, after):
            return None
        try:
            values = render.render_value(step_values(step), names, f"step {step_id}")
        except render.TemplateProblem as problem:
            return self._fail(step_id, str(problem))
        try:
            from opskit.playbooks.steps import kind

            implementation = kind(str(step["kind"]))
        except (KeyError, ModuleNotFoundError):
            return self._fail(
                step_id, f"step kind {step['kind']!r} is not available in this opskit"
            )
        in_flight, attempt = self.state.in_flight, self.state.attempt + 1
        self.record("step.started", step=step_id, kind=str(step["kind"]), attempt=attempt,
                    in_flight=in_flight)  # fmt: skip
        ctx = StepContext(
            run_id=self.run_id, playbook=self.playbook.name, step_id=step_id,
            kind=str(step["kind"]), values=values, attempt=attempt, in_flight=in_flight,
            visit=self.state.completions.get(step_id, 0) + 1, policy=self.policy, inputs=dict(self.state.inputs),
            outputs={k: dict(v) for k, v in self.state.outputs.items()},
            io=self._interaction(step_id), env=self.env,
        )  # fmt: skip
        try:
            result = implementation.execute(ctx)
        except Undecided as error:
            return self._fail(step_id, str(error), in_doubt=in_flight)
        except StepFailed as error:
            return self._fail(step_id, str(error), in_doubt=False)
        except TargetError as error:
            return self._fail(step_id, str(error), in_doubt=in_flight, target=True)
        except OpskitError as error:
            target = error.exit_code == ExitCode.RUNTIME
            return self._fail(step_id, str(error), in_doubt=in_flight, target=target)
        except KeyboardInterrupt:
            self.record("run.aborted", step=step_id, reason="interrupted (Ctrl-C)")
            self.reporter.end(f"interrupted at {step_id}: `opskit playbook resume {self.run_id}`")
            return ExitCode.INTERRUPTED
        except Exception as error:
            self._fail(
                step_id, f"internal error: {type(error).__name__}: {error}", in_doubt=in_flight
            )
            raise
        return self._finish(step_id, attempt, result, after)

    def _drill_skip(self, step_id: str, step: Mapping[str, Any], after: str | None) -> bool:
        """`<step>: drill-skip` in an answers file skips a `run` or `http` step: a drill
        against the sandbox has none of production's programs and endpoints. (`skip` is
        another answer: a command in flight had happened.)"""
        if step["kind"] not in DRILL_SKIPPABLE or self.state.in_flight:
            return False
        if self.responder.answers.get(step_id) != DRILL_SKIP:
            return False
        reason = "skipped by the answers file (drill)"
        self.record("step.skipped", step=step_id, kind=str(step["kind"]), reason=reason,
                    next=after)  # fmt: skip
        self.reporter.outcome("skipped", step_id, reason)
        return True

    def _finish(
        self, step_id: str, attempt: int, result: StepResult, after: str | None
    ) -> ExitCode | None:
        outputs = dict(result.outputs)
        text = outputs.pop("output", None)
        if result.outcome == "failed":
            if isinstance(text, str) and text:
                self._output(step_id, attempt, text)
            return self._fail(step_id, result.message or "failed", in_doubt=False)
        if result.outcome not in {"done", "skipped"}:
            return self._fail(step_id, f"internal error: outcome {result.outcome!r}")
        try:
            size = len(json.dumps(outputs, default=str))
        except (TypeError, ValueError):
            return self._fail(step_id, "internal error: outputs are not JSON")
        if size > MAX_OUTPUTS_JSON:
            return self._fail(step_id, f"outputs larger than {MAX_OUTPUTS_JSON // 1024} KiB")
        following_step = after
        if result.next_step is not None:
            if result.next_step not in self.steps:
                return self._fail(
                    step_id, f"goes to step {result.next_step!r}, which does not exist"
                )
            following_step = result.next_step
        if isinstance(text, str) and text:
            self._output(step_id, attempt, text)
        self.record(
            "step.finished", step=step_id, attempt=attempt, outcome=result.outcome,
            outputs=outputs, adopted=result.adopted, message=result.message[:1000],
            next=following_step,
        )  # fmt: skip
        label = "adopted" if result.adopted else result.outcome
        self.reporter.outcome(label, step_id, result.message)
        return None

    def _output(self, step_id: str, attempt: int, text: str) -> None:
        bounded, truncated = bound_text(text)
        self.record("step.output", step=step_id, attempt=attempt, text=bounded, truncated=truncated)

    def _fail(
        self, step_id: str, message: str, *, in_doubt: bool | None = None, target: bool = False
    ) -> ExitCode:
        """A failed step; `in_doubt` None (a failure before the step started) keeps its doubt."""
        if in_doubt is None:
            in_doubt = self.state.in_flight
        self.record("step.failed", step=step_id, attempt=self.state.attempt, message=message[:2000],
                    in_doubt=in_doubt, target=target)  # fmt: skip
        self.reporter.outcome("failed", step_id, message)
        self.reporter.end(
            f"stopped at {step_id}; fix it, then `opskit playbook resume {self.run_id}`"
        )
        return ExitCode.RUNTIME if target else ExitCode.FINDINGS

    def _interaction(self, step_id: str) -> Interaction:
        responder, state = self.responder, self.state

        def replayed(event: str, question: str | None) -> dict[str, Any] | None:
            if not state.recorded:
                return None
            head = state.recorded[0]
            if head["event"] == event and (question is None or head.get("question") == question):
                return state.recorded.pop(0)
            state.recorded.clear()  # the step asks something else now: ask afresh
            return None

        def ask(question: str, choices: list[str]) -> str:
            seen = replayed("step.answer", question)
            if seen is not None and seen.get("answer") in choices:
                return str(seen["answer"])
            answer = responder.ask(step_id, question, choices)
            self.record("step.answer", step=step_id, question=question, answer=answer)
            return answer

        def confirm(text: str) -> bool:
            seen = replayed("step.answer", text)
            if seen is not None and isinstance(seen.get("answer"), bool):
                return bool(seen["answer"])
            answer = responder.confirm(step_id, text)
            self.record("step.answer", step=step_id, question=text, answer=answer)
            return answer

        def note() -> str:
            seen = replayed("step.note", None)
            if seen is not None:
                return str(seen.get("text", ""))
            text = responder.note(step_id)[:4000]
            if text:
                self.record("step.note", step=step_id, text=text)
            return text

        return Interaction(ask=ask, confirm=confirm, note=note, say=self.reporter.say,
                           given=lambda: responder.answers.get(step_id))  # fmt: skip


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
