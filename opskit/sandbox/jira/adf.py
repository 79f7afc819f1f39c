"""Text bodies: REST v2 speaks plain text, v3 the Atlassian Document Format (ADF).

The sandbox keeps descriptions and comment bodies as plain text and renders them per API
version. Both versions accept either form on input (v3 Cloud refuses plain strings; the
sandbox is lenient there so v2-minded clients keep working against /rest/api/3).
"""

from __future__ import annotations

import html
from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError

MAX_TEXT = 32767  # Jira's limit for a text field or comment body


def _walk(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "text" and isinstance(node.get("text"), str):
            out.append(node["text"])
        elif node.get("type") == "hardBreak":
            out.append("\n")
        for child in node.get("content") or [] if isinstance(node.get("content"), list) else []:
            _walk(child, out)
        if node.get("type") in ("paragraph", "heading", "codeBlock", "listItem"):
            out.append("\n")


def to_text(value: Any, field: str) -> str:
    """A string, or an ADF document flattened to text; anything else is a 400."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, dict) and value.get("type") == "doc":
        parts: list[str] = []
        _walk(value, parts)
        text = "".join(parts).rstrip("\n")
    else:
        raise JiraError(
            400, [], {field: "Operation value must be a string or an Atlassian Document."}
        )
    if len(text) > MAX_TEXT:
        raise JiraError(400, [], {field: f"The entered text is too long. Max {MAX_TEXT}."})
    return text


def to_adf(text: str | None) -> Doc | None:
    if text is None:
        return None
    paragraphs = [
        {"type": "paragraph", "content": [{"type": "text", "text": line}] if line else []}
        for line in text.split("\n")
    ]
    return {"type": "doc", "version": 1, "content": paragraphs}


def render(text: str | None) -> str | None:
    """What ``renderedBody`` / ``renderedFields`` hold: the text as HTML."""
    if text is None:
        return None
    return "<p>" + html.escape(text).replace("\n", "<br/>") + "</p>"
