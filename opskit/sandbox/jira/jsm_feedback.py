"""JSM customer satisfaction: ``GET``, ``POST`` and ``DELETE
/rest/servicedeskapi/request/{requestIdOrKey}/feedback``.

As the document says: reading needs view access (every sandbox caller has it); giving or
deleting feedback is for the request's reporter alone (403 for anyone else). A request
that does not exist, or one without feedback on a read, is a 404. A body must be a
CSATFeedbackFullDTO: ``type`` "csat", an integer ``rating`` from 1 to 5 and an optional
``comment`` ``{"body"}``, and nothing else (the schema allows no other property); anything
else is a 400. Customers are asked for feedback once their request is resolved, so giving
it on one without a resolution is a 400 too. Giving it again replaces the earlier feedback
(and its time); deleting is 204 whether or not there was any.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import JsmError
from opskit.sandbox.jira import feedback_model as fb
from opskit.sandbox.jira.common import body_object, me
from opskit.sandbox.jira.jsm_requests import find_request
from opskit.sandbox.state import now

bp = Blueprint("jsm_feedback", __name__, url_prefix="/rest/servicedeskapi")
FIELDS = {"type", "rating", "comment"}


def _as_reporter(key: str) -> Doc:
    issue = find_request(key)
    if issue.get("reporter") != me()["accountId"]:
        raise JsmError(
            403, "Only the reporter of a request can give or remove its feedback.",
            "sd.feedback.permission.denied",
        )  # fmt: skip
    return issue


def _comment(raw: Any) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"body"}:
        raise JsmError(400, 'comment must be an object {"body": "..."}.', "sd.feedback.invalid")
    body = raw.get("body")
    if body is not None and not isinstance(body, str):
        raise JsmError(400, "comment.body must be text.", "sd.feedback.invalid")
    if body is not None and len(body) > fb.MAX_COMMENT:
        raise JsmError(400, f"The comment is longer than {fb.MAX_COMMENT} characters.")
    return body if body and body.strip() else None


@bp.get("/request/<key>/feedback")
def get_feedback(key: str) -> Response:
    issue = find_request(key)
    doc = fb.find(issue)
    if doc is None:
        raise JsmError(404, f"Request {key[:50]} has no feedback.", "sd.feedback.not.found")
    return respond(fb.dto(doc))


@bp.post("/request/<key>/feedback")
def post_feedback(key: str) -> Response:
    issue = _as_reporter(key)
    body = body_object(jsm=True)
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise JsmError(400, f'Unrecognized field "{unknown[0][:50]}".', "sd.feedback.invalid")
    if body.get("type") != "csat":
        raise JsmError(400, "type must be csat, the only supported feedback type.",
                       "sd.feedback.type.invalid")  # fmt: skip
    if not fb.valid_rating(body.get("rating")):
        raise JsmError(400, "rating must be an integer between 1 and 5.",
                       "sd.feedback.rating.invalid")  # fmt: skip
    comment = _comment(body.get("comment"))
    if not issue.get("resolution"):
        raise JsmError(400, f"Request {key[:50]} is not resolved: feedback is given once it is.",
                       "sd.feedback.request.unresolved")  # fmt: skip
    doc = fb.give(issue, body["rating"], comment, me()["accountId"], now())
    return respond(fb.dto(doc), 201)


@bp.delete("/request/<key>/feedback")
def delete_feedback(key: str) -> Response:
    fb.remove(_as_reporter(key))
    return Response(status=204)
