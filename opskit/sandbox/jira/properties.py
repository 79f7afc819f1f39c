"""Issue entity properties: any JSON value under a key, at most 32768 bytes each.

Apps (an SLA enforcer, for one) keep their own state on an issue here; setting a property
is not an edit of the issue, so it neither changes ``updated`` nor adds history.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, g

from opskit.sandbox.app_util import respond
from opskit.sandbox.body import json_body
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.common import api_root
from opskit.sandbox.jira.issue_model import find_issue, save

bp = Blueprint("jira_issue_properties", __name__)
MAX_VALUE_BYTES = 32768
MAX_KEY = 255
MAX_PROPERTIES = 100  # per issue: a bound for the sandbox, far above what apps keep


def _key(key: str) -> str:
    if not key or len(key) > MAX_KEY:
        raise JiraError(400, [f"The property key must be 1 to {MAX_KEY} characters long."])
    return key


def check_value(key: str, value: Any) -> Any:
    size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_VALUE_BYTES:
        raise JiraError(
            400,
            [f"The property '{key[:100]}' exceeds the {MAX_VALUE_BYTES} byte limit ({size})."],
        )
    return value


def check_properties(raw: Any) -> dict[str, Any]:
    """``properties`` of an edit: a list of ``{key, value}``."""
    if not isinstance(raw, list) or not all(
        isinstance(p, dict) and isinstance(p.get("key"), str) and "value" in p for p in raw
    ):
        raise JiraError(400, ["properties must be a list of {key, value} objects."])
    return {_key(p["key"]): check_value(p["key"], p["value"]) for p in raw}


@bp.get("/issue/<key>/properties")
def property_keys(key: str) -> Response:
    issue = find_issue(key)
    base = f"{api_root()}/issue/{issue['key']}/properties"
    keys = sorted(issue.get("properties", {}))
    return respond({"keys": [{"self": f"{base}/{k}", "key": k} for k in keys]})


@bp.get("/issue/<key>/properties/<property_key>")
def get_property(key: str, property_key: str) -> Response:
    props = find_issue(key).get("properties", {})
    if property_key not in props:
        raise JiraError(404, [f"The property with key '{property_key[:100]}' does not exist."])
    return respond({"key": property_key, "value": props[property_key]})


@bp.put("/issue/<key>/properties/<property_key>")
def put_property(key: str, property_key: str) -> Response:
    issue = find_issue(key)
    value = json_body()
    if not g.get("json_body_read"):
        raise JiraError(400, ["The property value must be a valid, non-empty JSON value."])
    props = issue.setdefault("properties", {})
    existed = property_key in props
    if not existed and len(props) >= MAX_PROPERTIES:
        raise JiraError(400, [f"An issue can have at most {MAX_PROPERTIES} properties."])
    props[_key(property_key)] = check_value(property_key, value)
    save(issue)
    return respond({}, 200 if existed else 201)


@bp.delete("/issue/<key>/properties/<property_key>")
def delete_property(key: str, property_key: str) -> Response:
    issue = find_issue(key)
    if property_key not in issue.get("properties", {}):
        raise JiraError(404, [f"The property with key '{property_key[:100]}' does not exist."])
    del issue["properties"][property_key]
    save(issue)
    return Response(status=204)
