"""`wait`: let time pass (`duration`, e.g. 10m), then go on.

On a terminal, Ctrl-C ends the wait early (the step finishes, its message says so); in a
drill, `--answers` with `<step>: end` ends it at once (time is compressed, not skipped in
the journal: the step finishes with `ended_early`). A
resumed wait counts from the time its first attempt started, read from the journal, so
a run killed during a wait never waits twice. Off a terminal Ctrl-C interrupts the run
as usual (resume continues the same wait)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Mapping
from typing import Any

from opskit.playbooks.step_api import StepContext, StepFailed, StepResult

MAX_WAIT_SECONDS = 7 * 86_400


def seconds_of(text: Any) -> int:
    from opskit.policy.values import parse_duration

    try:
        duration = parse_duration(str(text))
    except ValueError as error:
        raise StepFailed(f"duration: {error}") from None
    if duration.business_days:
        raise StepFailed("duration: business days depend on a calendar; give hours or minutes")
    if duration.seconds > MAX_WAIT_SECONDS:
        raise StepFailed("duration: at most a week")
    return int(duration.seconds)


def visit_started(run_id: str, step_id: str) -> dt.datetime | None:
    """When the current visit of a step first started, from the run's journal."""
    from opskit.playbooks import runs
    from opskit.playbooks.journal import JOURNAL, parse_stamp, read_events

    try:
        events = read_events(runs.find_run(run_id) / JOURNAL)
    except Exception:  # no journal to read: count from now
        return None
    started: dt.datetime | None = None
    for event in events:
        if event.get("step") != step_id:
            continue
        if event["event"] in {"step.finished", "step.skipped"}:
            started = None
        elif event["event"] == "step.started" and started is None:
            started = parse_stamp(str(event["at"]))
    return started


class Wait:
    def describe(self, values: Mapping[str, Any]) -> str:
        return f"waits {values.get('duration', '?')} (Ctrl-C on a terminal ends it early)"

    def execute(self, ctx: StepContext) -> StepResult:
        total = seconds_of(ctx.values.get("duration"))
        now = dt.datetime.now(dt.UTC)
        start = (visit_started(ctx.run_id, ctx.step_id) if ctx.in_flight else None) or now
        end = start + dt.timedelta(seconds=total)
        left = (end - now).total_seconds()
        if left <= 0:
            return StepResult("done", {"waited": total}, message=f"waited {ctx.values['duration']}")
        if ctx.io.given() == "end":
            return StepResult("done", {"waited": 0, "ended_early": True},
                              message="wait ended by the answers file (drill)")  # fmt: skip
        ctx.io.say(f"waiting until {end:%H:%M:%S} UTC ({int(left)}s left)")
        try:
            while (remaining := (end - dt.datetime.now(dt.UTC)).total_seconds()) > 0:
                time.sleep(min(remaining, 1.0))
        except KeyboardInterrupt:
            if not sys.stdin.isatty():
                raise
            waited = int((dt.datetime.now(dt.UTC) - start).total_seconds())
            return StepResult(
                "done", {"waited": waited, "ended_early": True},
                message=f"wait ended early after {waited}s (Ctrl-C)",
            )  # fmt: skip
        return StepResult("done", {"waited": total}, message=f"waited {ctx.values['duration']}")
