"""The emulated PagerDuty REST API v2 and Events API v2."""

from __future__ import annotations

from flask import Flask

from opskit.sandbox.pagerduty import (
    abilities,
    contact,
    escalation,
    events,
    incident_log,
    incidents,
    integrations,
    oncalls,
    overrides,
    schedules,
    services,
    teams,
    users,
)


def register(app: Flask) -> None:
    for module in (
        abilities,
        users,
        contact,
        teams,
        schedules,
        overrides,
        escalation,
        services,
        integrations,
        incidents,
        incident_log,
        events,
        oncalls,
    ):
        app.register_blueprint(module.bp)
