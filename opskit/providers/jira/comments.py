"""An issue's comments, oldest first, a page of 100 at a time: how `sla enforce` and the
playbooks find the comments they marked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from opskit.providers.jira.client import Api

COMMENT_PAGE = 100


def comments(api: Api, key: str) -> Iterator[dict[str, Any]]:
    start = 0
    while True:
        page = api.call("GET", f"/issue/{key}/comment", params={
            "startAt": start, "maxResults": COMMENT_PAGE, "orderBy": "created"})  # fmt: skip
        found = page.get("comments") or []
        yield from found
        start += len(found)
        if not found or start >= int(page.get("total", 0)):
            return
