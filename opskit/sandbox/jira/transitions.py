"""Workflow transitions: list them (one, or with their screens' fields) and perform one
with ``fields``/``update``.

Every status can go to every other (global transitions). Transitions into a done status
have a screen with the resolution and the assignee; the others have none, so they take no
``fields`` (``update.comment`` is always allowed, as in Jira).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira import edits
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.comments import check_ops, run_ops
from opskit.sandbox.jira.common import api_root, body_object, jira_time, me
from opskit.sandbox.jira.editscreen import field_meta, screen
from opskit.sandbox.jira.issue_json import RESOLUTION_IDS
from opskit.sandbox.jira.issue_model import find_issue, save, transition
from opskit.sandbox.state import now

bp = Blueprint("jira_transitions", __name__)
DONE_SCREEN = {"assignee"}


def _resolution_meta() -> Doc:
    root = api_root()
    return {
        "required": True,
        "schema": {"type": "resolution", "system": "resolution"},
        "name": "Resolution",
        "key": "resolution",
        "operations": ["set"],
        "allowedValues": [
            {"self": f"{root}/resolution/{rid}", "id": rid, "name": name}
            for name, rid in RESOLUTION_IDS.items()
        ],
    }


def _transition_json(issue: Doc, tid: str, target: str, with_fields: bool) -> Doc:
    done = wf.is_done(target)
    out: Doc = {
        "id": tid,
        "name": target,
        "to": wf.status_json(target, api_root()),
        "hasScreen": done,
        "isGlobal": True,
        "isInitial": False,
        "isAvailable": True,
        "isConditional": False,
        "looped": False,
    }
    if with_fields:
        on_screen = screen()
        fields = {f: field_meta(on_screen[f], issue["projectId"]) for f in DONE_SCREEN}
        out["fields"] = {**fields, "resolution": _resolution_meta()} if done else {}
    return out


@bp.get("/issue/<key>/transitions")
def transitions(key: str) -> Response:
    issue = find_issue(key)
    only = request.args.get("transitionId")
    with_fields = "transitions.fields" in request.args.get("expand", "").split(",")
    return respond(
        {
            "expand": "transitions",
            "transitions": [
                _transition_json(issue, tid, target, with_fields)
                for tid, target in wf.TRANSITIONS.items()
                if target != issue["status"] and (only is None or only == tid)
            ],
        }
    )


def _transition_id(body: Doc) -> str:
    raw: Any = body.get("transition")
    if isinstance(raw, dict):
        raw = raw.get("id")
    if raw is None:
        raw = body.get("transitionId")  # some clients send the id at the top level
    if raw is None or isinstance(raw, bool | dict | list):
        raise JiraError(400, ["Missing 'transition' identifier"])
    return str(raw)


def _resolution(fields: Any) -> str | None:
    if not isinstance(fields, dict) or "resolution" not in fields:
        return None
    ref = fields.pop("resolution")
    for name, rid in RESOLUTION_IDS.items():
        if isinstance(ref, dict) and (str(ref.get("id")) == rid or ref.get("name") == name):
            return name
    raise JiraError(400, [], {"resolution": "Specify a valid resolution id or name."})


@bp.post("/issue/<key>/transitions")
def do_transition(key: str) -> Response:
    issue = find_issue(key)
    body = body_object()
    tid = _transition_id(body)
    target = wf.TRANSITIONS.get(tid)
    if target is None or target == issue["status"]:
        raise JiraError(400, [f"Transition id '{tid[:20]}' is not valid for this issue."])
    fields = dict(body["fields"]) if isinstance(body.get("fields"), dict) else body.get("fields")
    done = wf.is_done(target)
    resolution = _resolution(fields) if done else None
    allowed = DONE_SCREEN if done else set()
    new, comment_ops = edits.plan(issue, fields, body.get("update"), allowed)
    checked = check_ops(issue, comment_ops)
    author, when = me()["accountId"], now()
    items = edits.apply(issue, new)
    run_ops(issue, checked, author, when)
    history_before = len(issue.get("changelog", []))
    transition(issue, target, author, when, resolution)
    if items:  # one history entry for the whole transition, as Jira records it
        issue["changelog"][history_before]["items"].extend(
            {k: v for k, v in i.items() if v is not None} for i in items
        )
    issue["updated"] = jira_time(when)
    save(issue)
    return Response(status=204)
