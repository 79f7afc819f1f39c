"""PagerDuty list behaviour: offset pagination with its limits, and include[]."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, request

from opskit.sandbox.db import Doc
from opskit.sandbox.errors import pd_invalid
from opskit.sandbox.pagerduty.common import KINDS, decorate
from opskit.sandbox.state import state

MAX_LIMIT = 100


MAX_WINDOW = 10_000


def page(items: list[Doc], key: str, render: Callable[[Doc], Doc]) -> dict[str, Any]:
    """Classic offset pagination with PagerDuty's limits."""
    try:
        limit = int(request.args.get("limit", "25"))
        offset = int(request.args.get("offset", "0"))
    except ValueError:
        raise pd_invalid("limit and offset must be integers") from None
    if limit < 1 or offset < 0:
        raise pd_invalid("limit must be positive and offset non-negative")
    limit = min(limit, MAX_LIMIT)
    if offset + limit > MAX_WINDOW:
        raise pd_invalid(f"Offset must be less than {MAX_WINDOW - limit + 1}")
    chunk = items[offset : offset + limit]
    g.related_cache = {}  # renderers below share one read of each related table
    want_total = request.args.get("total", "false").lower() == "true"
    return {
        key: expand([render(d) for d in chunk]),
        "limit": limit,
        "offset": offset,
        "more": offset + limit < len(items),
        "total": len(items) if want_total else None,
    }


def includes() -> set[str]:
    return set(request.args.getlist("include[]")) | set(request.args.getlist("include"))


RENDERERS: dict[str, Callable[[Doc], Doc]] = {}


def expand(obj: Any, wanted: set[str] | None = None) -> Any:
    """Fill references whose kind is listed in include[] with the full object (one level
    deep; the ``type`` stays a reference type, as the documents require)."""
    wanted = includes() if wanted is None else wanted
    if not wanted:
        return obj
    if isinstance(obj, list):
        return [expand(v, wanted) for v in obj]
    if not isinstance(obj, dict):
        return obj
    kind = str(obj.get("type", "")).removesuffix("_reference")
    if str(obj.get("type", "")).endswith("_reference") and KINDS.get(kind) in wanted:
        doc = state().store.get(f"pd.{kind}", str(obj.get("id")))
        if doc is not None:
            renderer = RENDERERS.get(kind)
            full = renderer(doc) if renderer else decorate(kind, doc)
            return {**full, "type": obj["type"]}
    return {k: expand(v, wanted) for k, v in obj.items()}


def id_filter(name: str) -> set[str]:
    return set(request.args.getlist(f"{name}[]")) | set(request.args.getlist(name))
