"""The ownership marker: how opskit knows an object is its own without a state file."""

from __future__ import annotations

import re

_MARKER = re.compile(r"\s*\bmanaged-by: opskit/([a-z0-9][a-z0-9-]*)\s*$")


def marker(workspace: str) -> str:
    return f"managed-by: opskit/{workspace}"


def with_marker(description: str, workspace: str) -> str:
    """The description as written in policy, plus the marker on its own last line."""
    text = strip_marker(description)
    return f"{text}\n\n{marker(workspace)}" if text else marker(workspace)


def strip_marker(description: str | None) -> str:
    return _MARKER.sub("", description or "").rstrip()


def owner(description: str | None) -> str | None:
    """The workspace that manages an object, or None for objects made by hand."""
    match = _MARKER.search(description or "")
    return match.group(1) if match else None
