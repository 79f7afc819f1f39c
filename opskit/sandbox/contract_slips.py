"""Known slips of the vendor documents, and how the check allows for each."""

from __future__ import annotations

import json
import re
from typing import Any

from werkzeug.datastructures import Headers

from opskit.sandbox.reqlog import Exchange

# Declared statuses that differ from what the service sends:
# (method, route) -> {status served: status documented}.
STATUS_SLIPS = {
    ("GET", "/schedules/<sid>/overrides"): {200: 201},
}

SCHEDULE_ANSWERS = (("GET", "/schedules/<sid>"), ("PUT", "/schedules/<sid>"), ("POST", "/schedules"))
COVERAGE_NULLS = (
    "schedule.final_schedule.rendered_coverage_percentage",
    "schedule.overrides_subschedule.rendered_coverage_percentage",
)

# Fields a document describes as "null when ..." but types as non-nullable. The sandbox sends
# null, as the service does; the check drops these nulls before validating.
NULL_SLIPS = {
    ("GET", "/oncalls"): ("oncalls.*.start", "oncalls.*.end", "oncalls.*.schedule"),
    # an incident's resolved_at: "or `null` if the incident is not resolved"
    ("GET", "/incidents"): ("incidents.*.resolved_at",),
    ("POST", "/incidents"): ("incident.resolved_at",),
    ("GET", "/incidents/<iid>"): ("incident.resolved_at",),
    ("PUT", "/incidents/<iid>"): ("incident.resolved_at",),
    # "Returns null unless since or until are set"
    **dict.fromkeys(SCHEDULE_ANSWERS, COVERAGE_NULLS),
}

# Jira sends times as 2026-01-05T09:00:00.000+0000 (no colon in the offset) where its
# documents say RFC 3339 date-time; the check adds the colon before validating.
JIRA_TIME = re.compile(rb'("\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d)(\d\d")')


def request_headers(ex: Exchange) -> Headers:
    """The request's headers. The PagerDuty document marks Content-Type required, as exactly
    ``application/json``, on every request. On a body-less one it describes nothing (the
    official client sends none there), and a parameter such as ``charset=utf-8`` leaves the
    media type the same; both are read as ``application/json``."""
    headers = Headers(list(ex.headers.items()))
    if ex.api == "pagerduty":
        declared = (headers.get("Content-Type") or "").partition(";")[0].strip().lower()
        if declared == "application/json" or not (ex.body or ex.body_truncated):
            headers["Content-Type"] = "application/json"
    return headers


def drop_null_slips(ex: Exchange, body: bytes) -> bytes:
    paths = NULL_SLIPS.get((ex.method, ex.route))
    if not paths or not body:
        return body
    data = json.loads(body)
    for path in paths:
        _drop_nulls(data, path.split("."))
    return json.dumps(data).encode()


def _drop_nulls(node: Any, parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    children = node if head == "*" and isinstance(node, list) else []
    if head != "*" and isinstance(node, dict):
        if not rest:
            if node.get(head, 0) is None:
                del node[head]
            return
        children = [node.get(head)]
    for child in children:
        if rest:
            _drop_nulls(child, rest)


def family_error_shape(ex: Exchange) -> bool:
    try:
        body = json.loads(ex.response_body or b"null")
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    if ex.api == "pagerduty":
        err = body.get("error")
        return isinstance(err, dict) and {"code", "message"} <= err.keys()
    if ex.api == "jira":
        return isinstance(body.get("errorMessages"), list) and isinstance(body.get("errors"), dict)
    if ex.api == "jsm":
        return isinstance(body.get("errorMessage"), str)
    return isinstance(body.get("errors"), list)


def _schema_errors(err: Exception) -> list[object]:
    cause = err.__cause__
    return list(getattr(cause, "schema_errors", None) or getattr(err, "schema_errors", None) or [])


def only_read_only_slips(err: Exception) -> bool:
    """The PagerDuty document marks properties such as ``type`` both readOnly and required,
    and openapi-core reports writing them as an error; the service expects them."""
    errors = _schema_errors(err)
    return bool(errors) and all(
        "read-only property" in str(getattr(e, "message", e)) for e in errors
    )


# The PagerDuty document's contact-method union discriminates on `type` without a
# mapping, so openapi-core looks for a schema named after the value ("phone_contact_method")
# and finds none; such bodies are valid against the union's members.
DISCRIMINATOR_SLIPS = {("POST", "/users/<uid>/contact_methods")}


def discriminator_slip(ex: Exchange, err: Exception) -> bool:
    if (ex.method, ex.route) not in DISCRIMINATOR_SLIPS:
        return False
    errors = _schema_errors(err)
    return bool(errors) and all(
        "is not valid under any of the given schemas" in str(getattr(e, "message", e))
        for e in errors
    )


# The Jira document says `accountId: null` unassigns an issue (assignIssue's description,
# and the jira client sends it) but types the body as User, whose accountId is a
# non-nullable string; a null there is valid.
NULLABLE_BODY_SLIPS = {("PUT", "/rest/api/2/issue/<key>/assignee"),
                       ("PUT", "/rest/api/3/issue/<key>/assignee"),
                       ("PUT", "/rest/api/latest/issue/<key>/assignee")}  # fmt: skip


def nullable_body_slip(ex: Exchange, err: Exception) -> bool:
    if (ex.method, ex.route) not in NULLABLE_BODY_SLIPS:
        return False
    errors = _schema_errors(err)
    return bool(errors) and all(
        "None for not nullable" in str(getattr(e, "message", e))
        or "None is not of type" in str(getattr(e, "message", e))
        for e in errors
    )


# Shapes the official Terraform provider sends and PagerDuty accepts, which the document's
# types forbid: layer times as Go's time.Time.String() ("2026-01-05 08:00:00 +0000 UTC"),
# an empty string for a layer with no end, and `null` in an empty scheduled_actions block.
CLIENT_SHAPE_ROUTES = {("POST", "/schedules"), ("PUT", "/schedules/<sid>"),
                       ("POST", "/services"), ("PUT", "/services/<sid>")}  # fmt: skip
GO_TIME_VALUE = re.compile(r"'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4} [A-Za-z0-9+-]+'")


def _client_shape(message: str) -> bool:
    if "read-only property" in message:
        return True
    if message.endswith("is not a 'date-time'"):
        value = message.removesuffix(" is not a 'date-time'")
        return value == "''" or GO_TIME_VALUE.fullmatch(value) is not None
    return message in ("None for not nullable", "None is not of type 'object'")


def client_shape_slip(ex: Exchange, err: Exception) -> bool:
    if (ex.method, ex.route) not in CLIENT_SHAPE_ROUTES:
        return False
    errors = _schema_errors(err)
    return bool(errors) and all(_client_shape(str(getattr(e, "message", e))) for e in errors)


def patch_document(api: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Slips of a vendor document that no check of an exchange can allow for, mended in
    the document itself before it is used:

    - PagerDuty's log entry `Channel` is a `oneOf` whose members overlap (every one is an
      object with a string `type`), so any channel is "valid under each of" them; it is
      read as `anyOf`.
    - Its `AcknowledgeLogEntry` names its type `acknowledgement_log_entry`, which the base
      `LogEntry`'s own list of types does not have; the service sends
      `acknowledge_log_entry`, as that list says.
    """
    if api != "pagerduty":
        return spec
    schemas = spec["components"]["schemas"]
    channel = schemas.get("Channel", {})
    if "oneOf" in channel:
        channel["anyOf"] = channel.pop("oneOf")
    for part in schemas.get("AcknowledgeLogEntry", {}).get("allOf", []):
        kind = part.get("properties", {}).get("type", {})
        if kind.get("enum") == ["acknowledgement_log_entry"]:
            kind["enum"] = ["acknowledge_log_entry"]
    return spec
