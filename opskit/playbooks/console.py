"""The runner on a terminal: rich prompts, and a calm progress line for every step.

Each step starts with one header: its place in the playbook, id, kind and title, the
run's elapsed time and what comes next, and, when the run has a ticket, its SLA clocks
(`incident_clocks`); it ends with one line: done, skipped or failed
with the step's message. Prompts are rich's (a checklist item is a yes/no, a decide a
choice, a note free text). The console is handed in by the CLI, which decides colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.prompt import Confirm, Prompt


def elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class TerminalPrompts:
    def __init__(self, console: Console) -> None:
        self.console = console

    def ask(self, question: str, choices: list[str]) -> str:
        return Prompt.ask(f"[bold]? {escape(question)}[/]", choices=choices, console=self.console)

    def confirm(self, text: str) -> bool:
        return Confirm.ask(f"  [bold]☐[/] {escape(text)}", console=self.console)

    def note(self) -> str:
        text: str = Prompt.ask(
            "  [dim]note for the timeline (Enter for none)[/]", default="", show_default=False,
            console=self.console,
        )  # fmt: skip
        return text.strip()


class Progress:
    """What the engine says about the run, as it goes."""

    def __init__(
        self, console: Console, started: dt.datetime,
        clocks: Callable[[], str | None] | None = None,
    ) -> None:  # fmt: skip
        self.console = console
        self.started = started
        self.clocks = clocks  # the incident's SLA clocks, one line (see incident_clocks)

    def _out(self, text: str = "") -> None:
        self.console.print(text, highlight=False)

    def _elapsed(self) -> str:
        return elapsed((dt.datetime.now(dt.UTC) - self.started).total_seconds())

    def step(self, index: int, total: int, step: dict[str, Any], following: str | None) -> None:
        title = f" {escape(str(step['title']))}" if step.get("title") else ""
        then = f"next: {following}" if following else "last step"
        self._out()
        self._out(
            f"[bold]▶ {index}/{total} {escape(str(step['id']))}[/]"
            f" [dim]({escape(str(step['kind']))})[/]{title}"
        )
        self._out(f"  [dim]elapsed {self._elapsed()} · {escape(then)}[/]")
        line = self.clocks() if self.clocks is not None else None
        if line:
            self._out(f"  [dim]SLA {escape(line)}[/]")

    def say(self, text: str) -> None:
        self._out(f"  {escape(text)}")

    def outcome(self, state: str, step: str, message: str) -> None:
        style = {"done": "green", "skipped": "yellow", "failed": "red"}.get(state, "")
        line = f"  [{style}]{state}[/] {escape(step)}" if style else f"  {state} {escape(step)}"
        if message:
            line += f" [dim]— {escape(message)}[/]"
        self._out(line)

    def end(self, text: str) -> None:
        self._out()
        self._out(f"[bold]{escape(text)}[/] [dim](elapsed {self._elapsed()})[/]")
