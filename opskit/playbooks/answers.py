"""Who answers a step's questions: an --answers file, --yes, or the engineer at a terminal.

An answers file is YAML, a mapping from step id to the answer:

    scope: one-region          # a decide's choice (or any question's choice)
    take-command: true         # every checklist item confirmed (false: refused)
    failover: {choice: rerun, note: "checked: the first attempt never reached the API"}
    cluster-health: drill-skip # a drill: the run or http step is skipped

Order of precedence for each question: the answers file, then --yes (which confirms
checklist items but never picks a choice: a decide or a "run it again?" needs an
answer), then the terminal. Nothing left to answer is an `Undecided`: the step fails
with a message saying how to answer, and `resume` asks again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

import yaml

from opskit.errors import UsageError
from opskit.files import read_at_most
from opskit.playbooks.step_api import StepFailed

MAX_ANSWERS_BYTES = 1024 * 1024


class Undecided(StepFailed):
    """A question with nobody to answer it."""


class Prompts(Protocol):
    """A terminal: asks the engineer."""

    def ask(self, question: str, choices: list[str]) -> str: ...
    def confirm(self, text: str) -> bool: ...
    def note(self) -> str: ...


def load_answers(path: Path) -> dict[str, Any]:
    try:
        text = read_at_most(path, MAX_ANSWERS_BYTES)
    except OSError as error:
        raise UsageError(f"--answers: cannot read {path}: {error.strerror}") from None
    if len(text) > MAX_ANSWERS_BYTES:
        raise UsageError(f"--answers: {path} is larger than 1 MiB")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise UsageError(f"--answers: {path}{where} is not valid YAML") from None
    if not isinstance(data, dict):
        raise UsageError(f"--answers: {path} must map step ids to answers")
    for step, answer in data.items():
        if not isinstance(step, str):
            raise UsageError(f"--answers: {path}: step ids are strings, not {step!r}")
        _check(path, step, answer)
    return data


def _check(path: Path, step: str, answer: Any) -> None:
    if isinstance(answer, (str, bool)):
        return
    if isinstance(answer, dict):
        allowed = {"choice": str, "confirm": bool, "note": str}
        for key, value in answer.items():
            if key not in allowed or not isinstance(value, allowed[key]):
                raise UsageError(
                    f"--answers: {path}: {step}: use choice (text), confirm (true/false) "
                    f"and note (text), not {key!r}"
                )
        return
    raise UsageError(f"--answers: {path}: {step}: an answer is a choice, true/false or a mapping")


class Responder:
    """Answers for every step of a run (see the module's docstring)."""

    def __init__(
        self,
        answers: Mapping[str, Any],
        *,
        yes: bool,
        prompts: Prompts | None,
        say: Callable[[str], None],
    ) -> None:
        self.answers = answers
        self.yes = yes
        self.prompts = prompts
        self.say = say

    def _answer(self, step: str, key: str) -> Any:
        answer = self.answers.get(step)
        if isinstance(answer, dict):
            return answer.get(key)
        if key == "choice" and isinstance(answer, str):
            return answer
        if key == "confirm" and isinstance(answer, bool):
            return answer
        return None

    def ask(self, step: str, question: str, choices: list[str]) -> str:
        given = self._answer(step, "choice")
        if given is not None:
            if given not in choices:
                raise Undecided(
                    f"the answer {given!r} for {step} is not one of: {', '.join(choices)}"
                )
            return str(given)
        if self.prompts is not None:
            return self.prompts.ask(question, choices)
        raise Undecided(
            f"{question} needs an answer ({' | '.join(choices)}): give it in --answers "
            f"({step}: <choice>) or resume on a terminal"
        )

    def confirm(self, step: str, text: str) -> bool:
        given = self._answer(step, "confirm")
        if given is not None:
            return bool(given)
        if self.yes:
            return True
        if self.prompts is not None:
            return self.prompts.confirm(text)
        raise Undecided(f"{text!r} needs confirming: pass --yes, --answers, or use a terminal")

    def note(self, step: str) -> str:
        given = self._answer(step, "note")
        if given is not None:
            return str(given)
        if self.prompts is not None and not self.yes:
            return self.prompts.note()
        return ""
