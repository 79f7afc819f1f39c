"""Request bodies, read once and parsed strictly, for every emulated API.

Each API reads its JSON body through :func:`json_body`, so every route refuses the same
hostile input the same way, in its own family's error shape (see ``errors.invalid_body``):

- a body over the size limit is refused with 413: unread when its ``Content-Length`` says
  so, and cut off at the limit when it arrives chunked (the request log reads every body
  through :func:`read_body` first);
- a body sent as something other than ``application/json`` is refused with 415;
- malformed JSON, JSON the services' parsers refuse (``NaN``, ``Infinity``, numbers out of
  range, nesting deeper than ``MAX_DEPTH``) and text that is not UTF-8 are refused with 400.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
"""Far above any JSON payload these APIs take, small enough that a request thread holding
one, parsed, costs little."""

MAX_DEPTH = 100
"""Deepest nesting of arrays and objects accepted: the default limit of Ruby's JSON parser
(Jackson's, behind Jira, is 1000); no payload of these APIs comes close to either."""


class BodyError(Exception):
    """A request body refused before any handler looked at it."""

    def __init__(self, status: int, detail: str, size: int = 0) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.size = size  # for 413: the size declared, or at least read


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


def depth_of(value: Any) -> int:
    """The nesting depth of a parsed JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
            stack.extend((child, depth) for child in node)
    return deepest


def parse(raw: bytes) -> Any:
    """Parse ``raw`` as the services do; raises BodyError(400) for anything they refuse."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError(400, "The request body is not valid UTF-8.") from None
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_number)
    except RecursionError:
        raise BodyError(400, f"The request body nests deeper than {MAX_DEPTH} levels.") from None
    except ValueError as exc:
        # JSONDecodeError, and ValueError for integers too long to convert
        raise BodyError(400, f"The request body is not valid JSON: {str(exc)[:200]}") from None
    if depth_of(value) > MAX_DEPTH:
        raise BodyError(400, f"The request body nests deeper than {MAX_DEPTH} levels.")
    return value


def configure(app: Flask, max_body_bytes: int) -> None:
    app.config["OPSKIT_MAX_BODY_BYTES"] = max_body_bytes
    # One byte more for Werkzeug, which stops reading a chunked body at its limit without
    # saying whether more was coming: a body that fills it is over ours.
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes + 1


def read_body() -> bytes:
    """The raw request body, refused with 413 when it is over the limit: unread when
    ``Content-Length`` says so, and cut off at the limit when it arrives chunked."""
    limit: int = current_app.config["OPSKIT_MAX_BODY_BYTES"]
    declared = request.content_length
    if declared is not None and declared > limit:
        raise BodyError(413, _too_large(limit), declared)
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise BodyError(413, _too_large(limit), limit + 1) from None
    if len(raw) > limit:
        raise BodyError(413, _too_large(limit), len(raw))
    return raw


def _too_large(limit: int) -> str:
    return f"The request body is larger than the limit of {limit} bytes."


def check_media_type(raw: bytes) -> None:
    """A body must be declared as JSON (charset and other parameters aside), as the services'
    JSON endpoints require; one sent as anything else, or as nothing, is refused with 415."""
    if raw and request.mimetype != "application/json":
        declared = request.mimetype or "none"
        raise BodyError(415, f"Unsupported media type ({declared}): send application/json.")


def json_body() -> Any:
    """The request's JSON body (None when there is none), parsed once per request."""
    if "json_body" in g:
        return g.json_body
    raw = read_body()
    check_media_type(raw)
    value = parse(raw) if raw else None
    g.json_body = value
    g.json_body_read = bool(raw)  # a body the client sent, parsed (``null`` included)
    return value
