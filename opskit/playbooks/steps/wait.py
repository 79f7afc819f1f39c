"""`wait`: let time pass (`duration`, e.g. 10m), or wait `until` a check passes (checked
now and every `every`, default 30s, at least 5s, and once more at the end; at most
`duration`; see `checks`).

On a terminal, Ctrl-C ends the wait early (the step finishes, its message says so); in a
drill, `--answers` with `<step>: end` ends it at once (time is compressed, not skipped in
the journal: the step finishes with `ended_early`). A resumed wait counts from the time
its first attempt started, read from the journal, so a run killed during a wait never
waits twice. Off a terminal Ctrl-C interrupts the run as usual (resume continues the same
wait). A check that has not passed within the duration goes to `on_timeout` when the
step names one; otherwise the step fails, and `resume` starts a new window.

Outputs: `waited` (seconds), `ended_early` when it was cut short; with `until`, also
`met`, `checks` (how many were made) and `last` (what the last one saw).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from opskit.playbooks.step_api import StepContext, StepFailed, StepResult
from opskit.playbooks.steps import checks

MAX_WAIT_SECONDS = 7 * 86_400
DEFAULT_EVERY, MIN_EVERY = 30, 5


def seconds_of(text: Any, name: str = "duration") -> int:
    from opskit.policy.values import parse_duration

    try:
        duration = parse_duration(str(text))
    except ValueError as error:
        raise StepFailed(f"{name}: {error}") from None
    if duration.business_days:
        raise StepFailed(f"{name}: business days depend on a calendar; give hours or minutes")
    if duration.seconds > MAX_WAIT_SECONDS:
        raise StepFailed(f"{name}: at most a week")
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


def _sleep_until(moment: dt.datetime) -> None:
    while (remaining := (moment - dt.datetime.now(dt.UTC)).total_seconds()) > 0:
        time.sleep(min(remaining, 1.0))


class Wait:
    def describe(self, values: Mapping[str, Any]) -> str:
        duration = values.get("duration", "?")
        if isinstance(values.get("until"), Mapping):
            every = values.get("every") or f"{DEFAULT_EVERY}s"
            timeout = f"; then {values['on_timeout']}" if values.get("on_timeout") else ""
            return (f"waits until {checks.describe(values['until'])} (every {every}, at most "
                    f"{duration}{timeout}; Ctrl-C on a terminal ends it early)")  # fmt: skip
        return f"waits {duration} (Ctrl-C on a terminal ends it early)"

    def execute(self, ctx: StepContext) -> StepResult:
        total = seconds_of(ctx.values.get("duration"))
        check = checks.check_of(ctx, ctx.values["until"]) if "until" in ctx.values else None
        every = seconds_of(ctx.values.get("every") or f"{DEFAULT_EVERY}s", "every")
        if every < MIN_EVERY:
            raise StepFailed(f"every: at least {MIN_EVERY}s")
        now = dt.datetime.now(dt.UTC)
        start = (visit_started(ctx.run_id, ctx.step_id) if ctx.in_flight else None) or now
        end = start + dt.timedelta(seconds=total)
        if ctx.io.given() == "end":
            return StepResult("done", {"waited": 0, "ended_early": True},
                              message="wait ended by the answers file (drill)")  # fmt: skip
        try:
            if check is None:
                return self._duration(ctx, start, end, total)
            return self._until(ctx, check, start, end, every)
        except KeyboardInterrupt:
            if not sys.stdin.isatty():
                raise
            waited = int((dt.datetime.now(dt.UTC) - start).total_seconds())
            return StepResult(
                "done", {"waited": waited, "ended_early": True},
                message=f"wait ended early after {waited}s (Ctrl-C)",
            )  # fmt: skip

    def _duration(self, ctx: StepContext, start: dt.datetime, end: dt.datetime,
                  total: int) -> StepResult:  # fmt: skip
        left = (end - dt.datetime.now(dt.UTC)).total_seconds()
        if left > 0:
            ctx.io.say(f"waiting until {end:%H:%M:%S} UTC ({int(left)}s left)")
            _sleep_until(end)
        return StepResult("done", {"waited": total}, message=f"waited {ctx.values['duration']}")

    def _until(self, ctx: StepContext, check: Callable[[], tuple[bool, str]],
               start: dt.datetime, end: dt.datetime, every: int) -> StepResult:  # fmt: skip
        what = checks.describe(ctx.values["until"])
        ctx.io.say(f"waiting until {what}, at most until {end:%H:%M:%S} UTC")
        made = 0
        while True:
            passed, seen = check()
            made += 1
            now = dt.datetime.now(dt.UTC)
            waited = int((now - start).total_seconds())
            outputs = {"waited": waited, "met": passed, "checks": made, "last": seen[:300]}
            if passed:
                return StepResult("done", outputs, message=f"{what} after {waited}s ({seen})")
            if now >= end:
                break
            ctx.io.say(f"  not yet: {seen}")
            _sleep_until(min(now + dt.timedelta(seconds=every), end))
        line = f"{what}: not within {ctx.values['duration']} ({made} checks; last: {seen})"
        following = ctx.values.get("on_timeout")
        if isinstance(following, str) and following:
            return StepResult("done", outputs, next_step=following, message=f"{line}; on to {following}")
        raise StepFailed(line)
