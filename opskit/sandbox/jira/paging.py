"""Jira pagination styles: platform PageBean (startAt/isLast) and JSM (start/isLastPage)."""

from __future__ import annotations

from typing import Any

from flask import request

from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError, JsmError
from opskit.sandbox.jira.common import api_root, site


def int_arg(name: str, default: int, lo: int = 0, hi: int = 10**9) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise JiraError(400, [f"The value '{value}' is invalid for {name}."]) from None
    return max(lo, min(hi, number))


def page_bean(items: list[Any], self_path: str, max_default: int = 50) -> Doc:
    """Platform ``PageBean``: startAt / maxResults / total / isLast / values."""
    start = int_arg("startAt", 0)
    size = int_arg("maxResults", max_default, 1, 100)
    chunk = items[start : start + size]
    return {
        "self": f"{api_root()}{self_path}",
        "maxResults": size,
        "startAt": start,
        "total": len(items),
        "isLast": start + size >= len(items),
        "values": chunk,
    }


def jsm_page(items: list[Any]) -> Doc:
    """JSM paging: start / limit / size / isLastPage / values."""
    try:
        start = int(request.args.get("start", "0"))
        limit = int(request.args.get("limit", "50"))
    except ValueError:
        raise JsmError(400, "start and limit must be integers.") from None
    start, limit = max(0, start), max(1, min(limit, 100))
    chunk = items[start : start + limit]
    return {
        "size": len(chunk),
        "start": start,
        "limit": limit,
        "isLastPage": start + limit >= len(items),
        "values": chunk,
        "_links": {"base": site(), "context": "", "self": request.base_url},
    }
