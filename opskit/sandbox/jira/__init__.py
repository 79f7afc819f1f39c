"""The emulated Jira Cloud platform and Jira Service Management APIs."""

from __future__ import annotations

from flask import Flask

from opskit.sandbox.jira import (
    changelog,
    components,
    customfields,
    issues,
    organizations,
    platform,
    priorities,
    priorityschemes,
    projects,
    search,
    servicedesks,
)


def register(app: Flask) -> None:
    # The jira client speaks /rest/api/2; serve /rest/api/3 from the same handlers.
    for version in ("2", "3"):
        for module in (
            platform,
            priorities,
            priorityschemes,
            customfields,
            projects,
            components,
            issues,
            changelog,
            search,
        ):
            app.register_blueprint(
                module.bp, url_prefix=f"/rest/api/{version}", name=f"{module.bp.name}_v{version}"
            )
    app.register_blueprint(organizations.bp)
    app.register_blueprint(servicedesks.bp)
