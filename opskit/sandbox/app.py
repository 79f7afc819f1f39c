"""The Flask application: API blueprints plus the cross-cutting hooks every real service has
(authentication, rate limits, injected faults, the request log, family-shaped errors)."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from opskit.sandbox import admin, body
from opskit.sandbox.body import DEFAULT_MAX_BODY_BYTES, BodyError
from opskit.sandbox.errors import ApiError, generic_error, invalid_body
from opskit.sandbox.hooks import after_request, before_request, teardown_request
from opskit.sandbox.jira import browse
from opskit.sandbox.jira import register as register_jira
from opskit.sandbox.pagerduty import register as register_pagerduty
from opskit.sandbox.state import SandboxState

log = logging.getLogger(__name__)

# What a handler raises when a well-formed body holds a value of a type or shape it did not
# check for (a list where it indexes a dict, an unhashable value it looks up, a number it
# cannot convert, ...).
_SHAPE_ERRORS = (
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
)


def create_app(st: SandboxState, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> Flask:
    # No static folder: every path belongs to an emulated API (or the admin one, or Jira's
    # issue pages).
    app = Flask("opskit.sandbox", static_folder=None)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    body.configure(app, max_body_bytes)
    app.extensions["opskit_sandbox"] = st
    _register_apis(app)
    app.register_blueprint(admin.bp)
    app.register_blueprint(browse.bp)  # Jira's issue pages for people: no API, no contract
    app.before_request(before_request)
    app.after_request(after_request)
    app.teardown_request(teardown_request)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(BodyError, _body_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    return app


def _register_apis(app: Flask) -> None:
    register_pagerduty(app)
    register_jira(app)


def api_routes() -> list[tuple[str, str]]:
    """``(method, rule)`` for every route of the emulated APIs (the admin API left out), in
    Flask's rule syntax: ``("PUT", "/teams/<tid>")``."""
    app = Flask("opskit.sandbox.routes", static_folder=None)
    _register_apis(app)
    return sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    )


def _json_error(err: ApiError) -> Response:
    resp = jsonify(err.body())
    resp.status_code = err.status
    return resp


def _api_error(err: ApiError) -> Response:
    return _json_error(err)


def _body_error(err: BodyError) -> Response:
    return _json_error(invalid_body(request.path, err.status, err.detail))


def _http_error(err: HTTPException) -> Response:
    status = err.code or 500
    message = {404: "Not Found", 405: "Method Not Allowed"}.get(status, err.name)
    return _json_error(generic_error(request.path, status, message))


def _unexpected(err: Exception) -> Response:
    if isinstance(err, _SHAPE_ERRORS) and g.get("json_body_read"):
        # The body was valid JSON that the handler could not digest: the client's mistake,
        # answered as the service would (400), and logged so the missing check gets written.
        log.warning(
            "sandbox: unchecked request body on %s %s", request.method, request.path, exc_info=err
        )
        detail = "The request body has a value of the wrong type or shape."
        return _json_error(invalid_body(request.path, 400, detail))
    log.exception("sandbox: unexpected error on %s %s", request.method, request.path)
    return _json_error(generic_error(request.path, 500, "Internal Server Error"))
