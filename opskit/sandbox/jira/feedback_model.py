"""Customer satisfaction (CSAT) feedback as the store keeps it: one per request, the
customer's rating (1 to 5) and optional comment, who gave it and when.

The API's feedback object carries no time, but a real site records one (its
"Satisfaction date" field) and reports place ratings in time, so the store keeps ``at``.
Shared by the JSM feedback routes, the ticket loader and the seed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from opskit.sandbox.db import Doc
from opskit.sandbox.jira.common import jira_time
from opskit.sandbox.state import state

KIND = "jsm.feedback"  # keyed by the issue's id, which survives a change of key
MAX_COMMENT = 32767  # as a comment body


def valid_rating(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def find(issue: Doc) -> Doc | None:
    return state().store.get(KIND, str(issue["id"]))


def give(issue: Doc, rating: int, comment: str | None, author: str, at: datetime) -> Doc:
    """Record (or replace) the request's feedback."""
    doc: Doc = {
        "id": str(issue["id"]),
        "key": issue["key"],
        "rating": rating,
        "comment": comment,
        "author": author,
        "at": jira_time(at),
    }
    return state().store.put(KIND, doc["id"], doc)


def remove(issue: Doc) -> bool:
    return state().store.delete(KIND, str(issue["id"]))


def dto(doc: Doc) -> Doc:
    """The CSATFeedbackFullDTO: type, rating, and the comment only when one was given."""
    out: Doc = {"type": "csat", "rating": doc["rating"]}
    if doc.get("comment"):
        out["comment"] = {"body": doc["comment"]}
    return out
