"""The shared state of one running sandbox, reachable from every request handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from opskit.sandbox.db import Store
from opskit.sandbox.faults import FaultInjector
from opskit.sandbox.ratelimit import TokenBucket
from opskit.sandbox.reqlog import RequestLog


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class SandboxState:
    """What every request handler of a running sandbox shares: store, log, faults and limits."""

    store: Store
    log: RequestLog
    faults: FaultInjector
    pd_limit: TokenBucket
    jira_limit: TokenBucket
    clock: Callable[[], datetime] = utcnow


def state() -> SandboxState:
    st = current_app.extensions["opskit_sandbox"]
    assert isinstance(st, SandboxState)
    return st


def now() -> datetime:
    return state().clock()
