"""Shared PagerDuty REST behaviour: ids, references, request bodies, times, validation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g, request

from opskit.sandbox.body import json_body
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import PdError, pd_invalid, pd_not_found
from opskit.sandbox.state import state

KINDS = {
    "user": "users",
    "team": "teams",
    "schedule": "schedules",
    "escalation_policy": "escalation_policies",
    "service": "services",
    "priority": "priorities",
    "incident": "incidents",
}
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def new_id(prefix: str = "P") -> str:
    n = state().store.next_number("pd.id") + 36**5
    text = ""
    while n:
        n, r = divmod(n, 36)
        text = _ALPHABET[r] + text
    return prefix + text[-6:]


def base_url() -> str:
    return request.url_root.rstrip("/")


def load(kind: str, doc_id: str) -> Doc:
    doc = state().store.get(f"pd.{kind}", doc_id)
    if doc is None:
        raise pd_not_found()
    return doc


def ref(kind: str, doc_id: str) -> dict[str, Any]:
    doc = state().store.get(f"pd.{kind}", doc_id) or {}
    return {
        "id": doc_id,
        "type": f"{kind}_reference",
        "summary": str(doc.get("name") or doc.get("summary") or doc_id),
        "self": f"{base_url()}/{KINDS[kind]}/{doc_id}",
        "html_url": f"https://sandbox.pagerduty.local/{KINDS[kind]}/{doc_id}",
    }


def decorate(kind: str, doc: Doc) -> Doc:
    # Unset fields are left out rather than null: the documents type most of them non-null.
    out = {k: v for k, v in doc.items() if v is not None}
    out["type"] = kind
    out["summary"] = str(doc.get("name") or doc.get("summary") or doc["id"])
    out["self"] = f"{base_url()}/{KINDS[kind]}/{doc['id']}"
    out["html_url"] = f"https://sandbox.pagerduty.local/{KINDS[kind]}/{doc['id']}"
    return out


def need_from() -> str:
    """The From header, which must name a user of the account (as PagerDuty requires on,
    e.g., creating users and incidents): missing, or naming no user, is a 400."""
    sender = request.headers.get("From", "").strip()
    if "@" not in sender:
        raise PdError(
            400,
            'You must specify a user\'s email address in the "From" header to perform this action',
            2011,
        )
    if not account_user(sender):
        raise PdError(400, "Requester User Not Found", 1008)
    return sender


ACCOUNT = ("pd.account", "owner")


def account_user(email: str) -> bool:
    """Whether `email` belongs to a user of the account: one of its users, or its owner.

    A real account is opened by its owner, who is its first user. A fresh sandbox lists
    no users (tests count the ones they make), so on an account with no users and no
    owner yet, the first address to act is remembered as the owner's; once the account
    has users, only they (and that owner) can act.
    """
    store = state().store
    wanted = email.lower()
    owner = store.get(*ACCOUNT)
    if owner is not None and str(owner.get("email", "")).lower() == wanted:
        return True
    users = store.all("pd.user")
    if owner is None and not users:
        store.put(*ACCOUNT, {"id": ACCOUNT[1], "email": email})
        return True
    return any(str(u.get("email", "")).lower() == wanted for u in users)


def json_object() -> Any:
    """The parsed request body (None when empty); see ``opskit.sandbox.body``."""
    return json_body()


def wrapped(key: str) -> dict[str, Any]:
    """The object under ``key`` in the request body (PagerDuty wraps entities by type)."""
    data = json_object()
    if not isinstance(data, dict) or not isinstance(data.get(key), dict):
        raise pd_invalid(f"{key} must be an object")
    return dict(data[key])


def check_ref(obj: Any, kind: str, field: str) -> str:
    """Validate a reference ``{"id", "type"}`` to an existing object; return its id."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise pd_invalid(f"{field} must be a reference with an id")
    if obj.get("type") not in (kind, f"{kind}_reference"):
        raise pd_invalid(f"{field} must have type {kind}_reference")
    if state().store.get(f"pd.{kind}", obj["id"]) is None:
        raise pd_invalid(f"{field} refers to an unknown {kind} {obj['id']}")
    return str(obj["id"])


def need_str(obj: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise pd_invalid(f"{key} must be a non-empty string")
    return value


def need_int(obj: dict[str, Any], key: str, lo: int, hi: int, default: int | None = None) -> int:
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise pd_invalid(f"{key} must be an integer between {lo} and {hi}")
    return value


# Go's time.Time.String(): "2026-01-05 08:00:00 +0000 UTC", which the official Terraform
# provider sends for layer times and PagerDuty accepts.
GO_TIME = re.compile(r"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d{1,9})?) ([+-]\d\d)(\d\d) [A-Za-z0-9+-]{1,10}")


def parse_time(value: Any, field: str) -> datetime:
    if not isinstance(value, str):
        raise pd_invalid(f"{field} must be an ISO 8601 date-time")
    go = GO_TIME.fullmatch(value.strip())
    if go is not None:
        day, clock, hours, minutes = go.groups()
        value = f"{day}T{clock[:15]}{hours}:{minutes}"
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise pd_invalid(f"{field} must be an ISO 8601 date-time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def zone(name: Any, field: str = "time_zone") -> ZoneInfo:
    if not isinstance(name, str):
        raise pd_invalid(f"{field} must be an IANA time zone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise pd_invalid(f"{field} is not a known time zone") from None


def fmt(when: datetime, tz: ZoneInfo | None = None) -> str:
    return when.astimezone(tz or UTC).isoformat()


def query_time(name: str) -> datetime | None:
    value = request.args.get(name)
    if value is None:
        return None
    try:
        return parse_time(value, name)
    except PdError:
        raise PdError(400, "Invalid 'since' or 'until' Parameter Values", 2004) from None


def related(kind: str) -> list[Doc]:
    """All documents of a kind, read once per list page while rendering it.

    Renderers look up related objects (a policy's services, a user's teams); reading
    the table again for every item on a page made large lists quadratic.
    """
    cache = g.get("related_cache")
    if cache is None:
        return state().store.all(kind)
    if kind not in cache:
        cache[kind] = state().store.all(kind)
    found: list[Doc] = cache[kind]
    return found


def related_index(
    name: str, kind: str, keys: Callable[[Doc], Iterable[str]]
) -> dict[str, list[Doc]]:
    """`related(kind)` grouped by the keys each document points at, built once a page."""
    cache = g.get("related_cache")
    if cache is not None and name in cache:
        found: dict[str, list[Doc]] = cache[name]
        return found
    index: dict[str, list[Doc]] = {}
    for doc in related(kind):
        for key in dict.fromkeys(keys(doc)):
            index.setdefault(key, []).append(doc)
    if cache is not None:
        cache[name] = index
    return index
