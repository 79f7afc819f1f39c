"""The emulated Jira Cloud platform and Jira Service Management APIs."""

from __future__ import annotations

from flask import Flask

from opskit.sandbox.jira import (
    changelog,
    comments,
    components,
    customfields,
    issues,
    issuetypes,
    jsm_feedback,
    jsm_requests,
    options,
    organizations,
    platform,
    priorities,
    priorityschemes,
    projects,
    properties,
    search,
    servicedesks,
    transitions,
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
            issuetypes,
            comments,
            transitions,
            properties,
            options,
            changelog,
            search,
        ):
            app.register_blueprint(
                module.bp, url_prefix=f"/rest/api/{version}", name=f"{module.bp.name}_v{version}"
            )
    app.register_blueprint(issues.latest_bp)
    app.register_blueprint(organizations.bp)
    app.register_blueprint(servicedesks.bp)
    app.register_blueprint(jsm_requests.bp)
    app.register_blueprint(jsm_feedback.bp)
