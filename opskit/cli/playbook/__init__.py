"""opskit playbook: list, show, run, resume, look at and write up the runs of incident playbooks."""

from __future__ import annotations

import click


@click.group()
def playbook() -> None:
    """Incident playbooks: show them, run them step by step, resume a run killed at any moment.

    Every run keeps a journal (one JSON line per event) in $OPSKIT_RUNS_DIR, else
    $XDG_STATE_HOME/opskit/runs, else ~/.local/state/opskit/runs: the incident's timeline.
    """


# The commands register themselves on the group.
from opskit.cli.playbook import catalogue, running, runs  # noqa: E402

__all__ = ["catalogue", "playbook", "running", "runs"]
