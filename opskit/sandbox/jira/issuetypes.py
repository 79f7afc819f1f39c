"""Issue types: a fixed catalogue, and which of them each kind of project offers.

Jira issue types are site-wide (one "Task" id for every project); a project's scheme picks
the ones it offers, in order. The sandbox has one scheme per project type.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.common import api_root, site
from opskit.sandbox.state import state

bp = Blueprint("jira_issuetypes", __name__)

# id -> (name, description, hierarchy level); level -1 is a subtask type
TYPES: dict[str, tuple[str, str, int]] = {
    "10001": ("Service Request", "A request for help from a customer.", 0),
    "10002": ("Incident", "A service interruption customers notice.", 0),
    "10003": ("Problem", "The cause of one or more incidents.", 0),
    "10004": ("Task", "A small, distinct piece of work.", 0),
    "10005": ("Bug", "A problem which impairs or prevents the functions of a product.", 0),
    "10006": ("Story", "A user story.", 0),
    "10007": ("Epic", "A collection of related bugs, stories, and tasks.", 1),
    "10008": ("Sub-task", "A small piece of work that's part of a larger task.", -1),
}
SCHEMES = {
    "service_desk": ["10001", "10002", "10003", "10004"],
    "software": ["10004", "10005", "10006", "10007", "10008"],
    "business": ["10004", "10008"],
}


def type_json(tid: str) -> Doc:
    name, description, level = TYPES[tid]
    return {
        "self": f"{api_root()}/issuetype/{tid}",
        "id": tid,
        "description": description,
        "iconUrl": f"{site()}/images/icons/issuetypes/{name.lower().replace(' ', '')}.svg",
        "name": name,
        "subtask": level < 0,
        "avatarId": 10300 + int(tid) % 100,
        "hierarchyLevel": level,
    }


def project_types(project: Doc) -> list[str]:
    return SCHEMES.get(str(project.get("projectTypeKey")), SCHEMES["business"])


def issue_type_of(issue: Doc) -> str:
    """The issue's type id; issues stored before types existed take their project's first."""
    if issue.get("issuetype") in TYPES:
        return str(issue["issuetype"])
    project = state().store.get("jira.project", issue["projectId"]) or {}
    return project_types(project)[0]


def resolve(project: Doc, ref: Any) -> str:
    """The type id a create request names ({"id"} or {"name"}), offered by the project."""
    if ref is None:
        raise JiraError(400, [], {"issuetype": "Specify an issue type"})
    wanted_id = ref.get("id") if isinstance(ref, dict) else None
    wanted_name = ref.get("name") if isinstance(ref, dict) else None
    for tid in project_types(project):
        if str(wanted_id) == tid or (
            isinstance(wanted_name, str) and wanted_name.lower() == TYPES[tid][0].lower()
        ):
            return tid
    raise JiraError(400, [], {"issuetype": "The issue type selected is invalid."})


@bp.get("/issuetype")
def list_types() -> Response:
    return respond([type_json(t) for t in TYPES])


@bp.get("/issuetype/<type_id>")
def get_type(type_id: str) -> Response:
    if type_id not in TYPES:
        if not type_id.isdigit():
            raise JiraError(400, [f"The issue type ID '{type_id[:50]}' is invalid."])
        raise JiraError(404, [f"The issue type with ID '{type_id}' does not exist."])
    return respond(type_json(type_id))
