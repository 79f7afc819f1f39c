"""Shared Jira behaviour: the caller, ``self`` links, dates, bodies and errors."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from typing import Any

from flask import request

from opskit.sandbox.body import json_body
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError, JsmError
from opskit.sandbox.state import state


def api_root() -> str:
    """``.../rest/api/2`` or ``/3``, whichever the caller used, so ``self`` links round-trip."""
    version = "3" if request.path.startswith("/rest/api/3/") else "2"
    return f"{request.url_root.rstrip('/')}/rest/api/{version}"


def site() -> str:
    return request.url_root.rstrip("/")


def jira_time(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def parse_jira_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")


def account_id(email: str) -> str:
    return "712020:" + hashlib.sha256(email.lower().encode()).hexdigest()[:32]


def caller_email() -> str:
    auth = request.headers.get("Authorization", "")
    try:
        email = (
            base64.b64decode(auth[6:]).decode().partition(":")[0]
            if auth.startswith("Basic ")
            else ""
        )
    except ValueError:
        email = ""
    return email or "anonymous@sandbox.example"


def ensure_user(email: str, name: str | None = None) -> Doc:
    """Every authenticated caller exists as a Jira user (Cloud ids are derived, stable)."""
    aid = account_id(email)
    doc = state().store.get("jira.user", aid)
    if doc is None:
        doc = {
            "accountId": aid,
            "emailAddress": email,
            "active": True,
            "timeZone": "UTC",
            "displayName": name or email.split("@")[0].title(),
            "accountType": "atlassian",
        }
        state().store.put("jira.user", aid, doc)
    return doc


def me() -> Doc:
    return ensure_user(caller_email())


def user_json(doc: Doc | None) -> Doc | None:
    if doc is None:
        return None
    return {
        "self": f"{api_root()}/user?accountId={doc['accountId']}",
        **doc,
        "avatarUrls": {"48x48": f"{site()}/avatar/{doc['accountId']}"},
    }


def user_by_id(aid: str | None) -> Doc | None:
    return user_json(state().store.get("jira.user", aid)) if aid else None


def body_json(jsm: bool = False) -> Any:
    """The parsed request body (None when empty); see ``opskit.sandbox.body``."""
    return json_body()


def body_object(jsm: bool = False) -> dict[str, Any]:
    data = body_json(jsm)
    if not isinstance(data, dict):
        if jsm:
            raise JsmError(400, "The request body must be a JSON object.")
        raise JiraError(400, ["The request body must be a JSON object."])
    return data


def not_found(what: str) -> JiraError:
    return JiraError(404, [f"{what} does not exist or you do not have permission to see it."])


def is_v3() -> bool:
    return request.path.startswith("/rest/api/3/")


def flag(name: str, default: bool = False) -> bool:
    """A boolean query parameter; Jira reads anything but ``true`` as false."""
    value = request.args.get(name)
    return default if value is None else value.lower() == "true"
