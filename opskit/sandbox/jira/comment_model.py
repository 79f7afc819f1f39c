"""Comments as stored on an issue, their visibility, and how they render.

A comment of a service-desk project is internal (``jsdPublic: false``) when it was made
through JSM with ``public: false``, with the ``sd.public.comment`` property saying
``internal``, or with a ``visibility`` restriction (which customers never see either).
Comments elsewhere are always ``jsdPublic: true``, as the platform document says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import adf
from opskit.sandbox.jira.common import api_root, is_v3, jira_time, user_by_id
from opskit.sandbox.state import state

SD_PUBLIC = "sd.public.comment"
ROLES = {"Administrators", "Service Desk Team", "Service Desk Customers", "Developers", "Users"}
GROUPS = {"jira-administrators", "jira-servicemanagement-users", "jira-software-users"}
MAX_COMMENTS = 5000  # Jira Cloud's per-issue limit (413 beyond it)
MAX_PROPERTIES = 10


def service_desk(issue: Doc) -> bool:
    project = state().store.get("jira.project", issue["projectId"]) or {}
    return project.get("projectTypeKey") == "service_desk"


def visibility(raw: Any) -> Doc | None:
    if raw is None:
        return None
    kind = raw.get("type") if isinstance(raw, dict) else None
    name = raw.get("value") or raw.get("identifier") if isinstance(raw, dict) else None
    if kind not in ("role", "group") or not isinstance(name, str):
        raise JiraError(
            400, [], {"commentLevel": "Visibility needs a type (role or group) and a value."}
        )
    if kind == "role" and name not in ROLES:
        raise JiraError(
            400,
            [],
            {"commentLevel": f"You are currently not a member of the project role: {name[:100]}."},
        )
    if kind == "group" and name not in GROUPS:
        raise JiraError(400, [], {"commentLevel": f"Group: {name[:100]} does not exist."})
    return {"type": kind, "value": name, "identifier": name}


def properties(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if (
        not isinstance(raw, list)
        or len(raw) > MAX_PROPERTIES
        or not all(isinstance(p, dict) and isinstance(p.get("key"), str) and p["key"] for p in raw)
    ):
        raise JiraError(400, ["Comment properties must be a list of {key, value}."])
    return {p["key"][:255]: p.get("value") for p in raw}


def _internal_property(props: dict[str, Any]) -> bool:
    value = props.get(SD_PUBLIC)
    return isinstance(value, dict) and value.get("internal") is True


def new_comment(
    issue: Doc,
    author: str,
    body: str,
    when: datetime,
    public: bool = True,
    seen: Doc | None = None,
    props: dict[str, Any] | None = None,
) -> Doc:
    """Add a comment (already validated) to the issue; the issue's ``updated`` follows."""
    if len(issue.get("comments", [])) >= MAX_COMMENTS:
        raise JiraError(413, [f"An issue can have at most {MAX_COMMENTS} comments."])
    props = dict(props or {})
    internal = not public or seen is not None or _internal_property(props)
    comment = {
        "id": str(10000 + state().store.next_number("jira.comment")),
        "author": author,
        "updateAuthor": author,
        "body": body,
        "created": jira_time(when),
        "updated": jira_time(when),
        "public": not internal if service_desk(issue) else True,
        "visibility": seen,
        "properties": props,
    }
    issue.setdefault("comments", []).append(comment)
    issue["updated"] = jira_time(when)
    return comment


def find_comment(issue: Doc, comment_id: Any) -> Doc:
    comments: list[Doc] = issue.get("comments", [])
    for c in comments:
        if c["id"] == str(comment_id):
            return c
    raise JiraError(404, [f"Can not find a comment for the id: {str(comment_id)[:50]}."])


def comment_json(issue: Doc, c: Doc, expand: str = "") -> Doc:
    wanted = set(expand.split(","))
    out: Doc = {
        "self": f"{api_root()}/issue/{issue['id']}/comment/{c['id']}",
        "id": c["id"],
        "author": user_by_id(c["author"]),
        "body": adf.to_adf(c["body"]) if is_v3() else c["body"],
        "updateAuthor": user_by_id(c.get("updateAuthor", c["author"])),
        "created": c["created"],
        "updated": c.get("updated", c["created"]),
        "jsdPublic": c.get("public", True),
    }
    if c.get("visibility"):
        out["visibility"] = c["visibility"]
    if "renderedBody" in wanted:
        out["renderedBody"] = adf.render(c["body"])
    if "properties" in wanted:
        props = dict(c.get("properties") or {})
        if service_desk(issue):
            props[SD_PUBLIC] = {"internal": not c.get("public", True)}
        out["properties"] = [{"key": k, "value": v} for k, v in props.items()]
    return out
