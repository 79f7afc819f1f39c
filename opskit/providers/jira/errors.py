"""Jira's error bodies as one readable line (never the request, never a secret)."""

from __future__ import annotations

from typing import Any


def error_text(response: Any) -> str:
    """Platform `{"errorMessages", "errors": {field: msg}}` or JSM `{"errorMessage"}`."""
    try:
        body = response.json()
    except ValueError:
        return "unexpected answer"
    if not isinstance(body, dict):
        return "unexpected answer"
    parts: list[str] = []
    if isinstance(body.get("errorMessage"), str):
        parts.append(body["errorMessage"])
    parts += [str(m) for m in body.get("errorMessages") or [] if m]
    errors = body.get("errors")
    if isinstance(errors, dict):
        parts += [f"{field}: {message}" for field, message in sorted(errors.items())]
    return "; ".join(parts) or "error"
