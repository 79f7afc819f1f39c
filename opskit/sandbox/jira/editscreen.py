"""The fields on the sandbox's create/edit screen, their kinds, operations and metadata.

Every project shares one screen: the system fields below plus every custom field whose type
the sandbox can store (select, multi-select, text, organisations). ``kind`` says how a value
is read and kept (see ``field_values``); ``OPERATIONS`` is what ``update`` may do with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from opskit.sandbox.db import Doc
from opskit.sandbox.jira.common import api_root
from opskit.sandbox.jira.options import field_options, option_ref
from opskit.sandbox.jira.projects import component_json, components_of
from opskit.sandbox.state import state


@dataclass(frozen=True)
class ScreenField:
    """A field of the sandbox's create/edit screen: id, name, kind and Jira schema."""

    id: str
    name: str
    kind: str
    schema: Doc
    custom: bool = False


def _system(fid: str, name: str, kind: str, schema: Doc) -> ScreenField:
    return ScreenField(fid, name, kind, {**schema, "system": fid})


SYSTEM = [
    _system("summary", "Summary", "string", {"type": "string"}),
    _system("description", "Description", "text", {"type": "string"}),
    _system("priority", "Priority", "priority", {"type": "priority"}),
    _system("components", "Components", "components", {"type": "array", "items": "component"}),
    _system("labels", "Labels", "labels", {"type": "array", "items": "string"}),
    _system("duedate", "Due date", "date", {"type": "date"}),
    _system("assignee", "Assignee", "user", {"type": "user"}),
    _system("reporter", "Reporter", "user", {"type": "user"}),
]
SET = ["set"]
LISTS = ["add", "set", "remove"]
OPERATIONS = {
    "string": SET,
    "text": SET,
    "priority": SET,
    "user": SET,
    "date": SET,
    "option": SET,
    "components": LISTS,
    "labels": LISTS,
    "options": LISTS,
    "orgs": LISTS,
}
LIST_KINDS = {"components", "labels", "options", "orgs"}
_CUSTOM_KINDS = {
    "select": "option",
    "radiobuttons": "option",
    "multiselect": "options",
    "multicheckboxes": "options",
    "textfield": "string",
    "textarea": "text",
    "sd-customer-organizations": "orgs",
}


def custom_kind(doc: Doc) -> str | None:
    custom = str(doc.get("schema", {}).get("custom") or "")
    kind = _CUSTOM_KINDS.get(custom.rpartition(":")[2])
    if kind is None and doc.get("schema", {}).get("type") == "option":
        kind = "option"  # fields made before the sandbox kept their type
    return kind


def custom_fields() -> list[ScreenField]:
    out = []
    for doc in state().store.all("jira.field"):
        kind = custom_kind(doc)
        if kind is not None:
            out.append(ScreenField(doc["id"], doc["name"], kind, doc["schema"], custom=True))
    return out


def screen() -> dict[str, ScreenField]:
    return {f.id: f for f in [*SYSTEM, *custom_fields()]}


def allowed_values(f: ScreenField, project_id: str) -> list[Doc] | None:
    root = api_root()
    if f.kind == "priority":
        return [
            {
                "self": f"{root}/priority/{p['id']}",
                "id": p["id"],
                "name": p["name"],
                "iconUrl": p.get("iconUrl", ""),
            }
            for p in state().store.all("jira.priority")
        ]
    if f.kind == "components":
        return [component_json(c) for c in components_of(project_id)]
    if f.kind in ("option", "options"):
        refs = [option_ref(o["id"]) for o in field_options(f.id, project_id) if not o["disabled"]]
        return [r for r in refs if r]
    return None


def field_meta(f: ScreenField, project_id: str, required: bool = False) -> Doc:
    meta: Doc = {
        "required": required or f.id == "summary",
        "schema": f.schema,
        "name": f.name,
        "key": f.id,
        "operations": OPERATIONS[f.kind],
    }
    allowed = allowed_values(f, project_id)
    if allowed is not None:
        meta["allowedValues"] = allowed
    if f.kind == "user":
        meta["autoCompleteUrl"] = f"{api_root()}/user/assignable/search?query="
    return meta


def comment_meta() -> Doc:
    return {
        "required": False,
        "schema": {"type": "comments-page", "system": "comment"},
        "name": "Comment",
        "key": "comment",
        "operations": ["add", "edit", "remove"],
    }
