"""The emulated PagerDuty REST API v2 and Events API v2."""

from __future__ import annotations

from flask import Flask

from opskit.sandbox.pagerduty import (
    escalation,
    events,
    incidents,
    oncalls,
    overrides,
    schedules,
    services,
    teams,
    users,
)


def register(app: Flask) -> None:
    for module in (
        users,
        teams,
        schedules,
        overrides,
        escalation,
        services,
        incidents,
        events,
        oncalls,
    ):
        app.register_blueprint(module.bp)
