"""Select options of custom fields as issues use them, and ``GET /customFieldOption/{id}``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.common import api_root
from opskit.sandbox.state import state

bp = Blueprint("jira_options", __name__)


def field_options(field_id: str, project_id: str | None = None) -> list[Doc]:
    """Options of the field's contexts that apply to the project (global ones always)."""
    contexts = {
        c["id"]
        for c in state().store.all("jira.context")
        if c["fieldId"] == field_id and (not c["projectIds"] or project_id in c["projectIds"])
    }
    return [o for o in state().store.all("jira.option") if o["contextId"] in contexts]


def find_option(field_id: str, project_id: str, ref: Any) -> Doc:
    """The option a request names by ``{"id"}`` or ``{"value"}``; 400 as Jira when unknown."""
    if not isinstance(ref, dict) or not ({"id", "value"} & ref.keys()):
        raise JiraError(400, [], {field_id: "Specify a valid 'id' or 'name' for the option."})
    options = [o for o in field_options(field_id, project_id) if not o["disabled"]]
    if "id" in ref:
        match = next((o for o in options if o["id"] == str(ref["id"])), None)
        if match is None:
            raise JiraError(400, [], {field_id: f"Option id '{str(ref['id'])[:50]}' is not valid"})
        return match
    match = next((o for o in options if o["value"] == ref["value"]), None)
    if match is None:
        raise JiraError(
            400, [], {field_id: f"Option value '{str(ref['value'])[:100]}' is not valid"}
        )
    return match


def option_ref(option_id: str) -> Doc | None:
    """An option as it appears in an issue's fields."""
    doc = state().store.get("jira.option", option_id)
    if doc is None:
        return None
    return {
        "self": f"{api_root()}/customFieldOption/{doc['id']}",
        "value": doc["value"],
        "id": doc["id"],
    }


@bp.get("/customFieldOption/<option_id>")
def get_option(option_id: str) -> Response:
    doc = state().store.get("jira.option", option_id)
    if doc is None:
        raise JiraError(404, [f"A custom field option with id '{option_id[:50]}' does not exist."])
    return respond({"self": f"{api_root()}/customFieldOption/{doc['id']}", "value": doc["value"]})
