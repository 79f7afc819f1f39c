"""The Flask application: API blueprints plus the cross-cutting hooks every real service has
(authentication, rate limits, injected faults, the request log, family-shaped errors)."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from opskit.sandbox import admin
from opskit.sandbox.errors import ApiError, generic_error
from opskit.sandbox.hooks import after_request, before_request, teardown_request
from opskit.sandbox.jira import register as register_jira
from opskit.sandbox.pagerduty import register as register_pagerduty
from opskit.sandbox.state import SandboxState

log = logging.getLogger(__name__)


def create_app(st: SandboxState) -> Flask:
    app = Flask("opskit.sandbox")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["opskit_sandbox"] = st
    register_pagerduty(app)
    register_jira(app)
    app.register_blueprint(admin.bp)
    app.before_request(before_request)
    app.after_request(after_request)
    app.teardown_request(teardown_request)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    return app


def _json_error(err: ApiError) -> Response:
    resp = jsonify(err.body())
    resp.status_code = err.status
    return resp


def _api_error(err: ApiError) -> Response:
    return _json_error(err)


def _http_error(err: HTTPException) -> Response:
    status = err.code or 500
    message = {404: "Not Found", 405: "Method Not Allowed"}.get(status, err.name)
    return _json_error(generic_error(request.path, status, message))


def _unexpected(err: Exception) -> Response:
    log.exception("sandbox: unexpected error on %s %s", request.method, request.path)
    return _json_error(generic_error(request.path, 500, "Internal Server Error"))
