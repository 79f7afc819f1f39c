"""The incident's SLA clocks for the runner's progress on a terminal: the `ticket` input's
clocks, read from Jira and evaluated by the SLA engine at most once a minute, in one line
("SUP-123 (Premium, P1): first_response met · resolution 2h10m left"). A ticket that
cannot be read says so once; the run goes on."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from opskit.errors import OpskitError
from opskit.sync.errors import TargetError

REFRESH_SECONDS = 60.0


def clocks_line(outputs: dict[str, Any]) -> str:
    from opskit.playbooks.steps.sla import left_text

    key = outputs["ticket"]
    if "untracked" in outputs:
        return f"{key}: no SLA applies ({outputs['untracked']})"
    parts = []
    for metric, clock in outputs["clocks"].items():
        state = clock["state"]
        if state in ("running", "paused"):
            paused = ", paused" if state == "paused" else ""
            parts.append(f"{metric} {left_text(int(clock['remaining']))}{paused}")
        else:
            parts.append(f"{metric} {state}")
    return f"{key} ({outputs['tier']}, {outputs['priority']}): " + (" · ".join(parts) or "no clocks")


class IncidentClocks:
    def __init__(self, policy: Any, ticket: str, *,
                 read: Callable[[Any, str, dt.datetime], dict[str, Any]] | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        from opskit.playbooks.steps.sla import ticket_clocks

        self.policy, self.ticket = policy, ticket.strip().upper()
        self._read = read or ticket_clocks
        self._monotonic = monotonic
        self._line: str | None = None
        self._read_at: float | None = None
        self._failed = False

    def line(self) -> str | None:
        now = self._monotonic()
        if self._read_at is not None and now - self._read_at < REFRESH_SECONDS:
            return self._line
        self._read_at = now
        try:
            at = dt.datetime.now(dt.UTC).replace(microsecond=0)
            self._line = clocks_line(self._read(self.policy, self.ticket, at))
            self._failed = False
        except (OpskitError, TargetError) as error:
            # said once; then quiet until a read works again
            self._line = None if self._failed else f"{self.ticket}: SLA clocks unavailable ({error})"
            self._failed = True
        return self._line
