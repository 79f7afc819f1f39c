"""Small response helpers shared by the emulated APIs."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify


def respond(body: Any, status: int = 200) -> Response:
    resp = jsonify(body)
    resp.status_code = status
    return resp
