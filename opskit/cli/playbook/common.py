"""What the playbook commands share: the policy, the playbook, who answers, the progress."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from opskit.errors import UsageError


def load_policy(config_path: Path | None) -> Any:
    from opskit.cli.sla.common import load

    policy, _ = load(config_path)
    return policy


def find_playbook(policy: Any, name: str) -> Any:
    if name not in policy.playbooks:
        from opskit.policy.schemas import suggest

        raise UsageError(f"no playbook {name!r}{suggest(name, policy.playbooks)}")
    return policy.playbooks[name]


def answering(function: Any) -> Any:
    function = click.option(
        "--answers", "answers_path", type=click.Path(dir_okay=False, path_type=Path),
        help="YAML answers by step id (a choice, true/false, or {choice, confirm, note}).",
    )(function)  # fmt: skip
    return click.option(
        "--yes", "-y", is_flag=True,
        help="Confirm every checklist item (a decide still needs --answers or a terminal).",
    )(function)  # fmt: skip


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def responder_for(yes: bool, answers_path: Path | None, progress: Any) -> Any:
    from opskit.playbooks.answers import Responder, load_answers
    from opskit.playbooks.console import TerminalPrompts

    answers = load_answers(answers_path) if answers_path is not None else {}
    prompts = TerminalPrompts(progress.console) if interactive() else None
    if prompts is None and not yes and answers_path is None:
        raise UsageError("not on a terminal: pass --yes (confirm checklists) and/or --answers FILE")
    return Responder(answers, yes=yes, prompts=prompts, say=progress.say)


def progress_for(
    started: str | None = None, *, policy: Any = None, inputs: dict[str, Any] | None = None
) -> Any:
    """The run's progress; on a terminal, with the `ticket` input's SLA clocks."""
    import datetime as dt

    from opskit.cli.console import console
    from opskit.playbooks.console import Progress
    from opskit.playbooks.incident_clocks import IncidentClocks
    from opskit.playbooks.journal import now, parse_stamp

    at = parse_stamp(started) if started else now()
    ticket = str((inputs or {}).get("ticket") or "").strip()
    clocks = IncidentClocks(policy, ticket).line if ticket and interactive() else None
    return Progress(console(), at if at.tzinfo else at.replace(tzinfo=dt.UTC), clocks)
