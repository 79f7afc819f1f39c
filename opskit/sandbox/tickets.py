"""Loading Jira tickets with a backdated history (sandbox only: real Jira cannot backdate).

The contract, for tests and for the seed (``load_tickets``), and over HTTP as
``POST /_sandbox/jira/tickets``::

    {"tickets": [{
        "project": "SUP",                      # project key
        "summary": "...",
        "priority": "P2",                      # priority name
        "organization": "Harbor Dental Group", # optional: JSM organisation name
        "components": ["Storage API"],         # optional: component names of the project
        "reporter": "luis.moreno@harbordental.example",   # an existing user's email
        "created": "2026-03-02T09:15:00+01:00",           # ISO 8601 with an offset
        "events": [                            # in time order, none before ``created``
            {"at": "<ISO>", "author": "<email>", "status": "In Progress"},
            {"at": "<ISO>", "author": "<email>", "priority": "P1"},
            {"at": "<ISO>", "author": "<email>", "comment": "text", "public": true}
        ]
    }]}

answered ``201 {"keys": ["SUP-301", ...]}`` in the order given. Optional keys beyond that
shape: a ticket's ``description``, ``labels`` (list), ``assignee`` (email), ``issuetype``
(name; default the project's first type), ``time_spent`` (seconds of work logged on it, an
integer from 0 to ten years' worth; read back as the issue's ``timespent`` and
``aggregatetimespent`` fields, which are null on issues without it); a status event's
``resolution`` (name, default "Done" for done statuses); a comment event's ``visibility``
({type, value}); ``public`` defaults to true. A ticket's ``feedback`` is the customer's
satisfaction rating::

    "feedback": {"rating": 4, "comment": "text", "at": "<ISO>"}

given by the reporter at ``at`` (default: when the ticket was resolved, its last move into
a done status); ``comment`` is optional. It needs a ticket that was resolved (a reopened one
keeps the rating it got), a rating from 1 to 5 and an ``at`` no earlier than the resolution.

Each ticket is made as the API would have made it at those instants: the issue is created
at ``created`` by the reporter; a status event is a transition (changelog items for status
and resolution, ``resolutiondate`` when a done-category status is first reached); a
priority event is an edit (a changelog item with field "priority"); a comment event is a
comment with that created time, internal (``jsdPublic: false``) when ``public`` is false on
a service-desk project. ``updated`` ends at the last event. Nothing is loaded when any
ticket is refused: unknown project, priority, status, organisation, component or user, a
bad time, events out of order, a ``time_spent`` that is not such an integer, or feedback as
above refused answer 400 with a message naming the ticket and field.
Call it inside the sandbox's app context (the seed and the admin endpoint do).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from opskit.sandbox.backdate import past_time
from opskit.sandbox.db import Doc, Store
from opskit.sandbox.jira import edits, feedback_model
from opskit.sandbox.jira import workflow as wf
from opskit.sandbox.jira.comment_model import new_comment, visibility
from opskit.sandbox.jira.common import jira_time
from opskit.sandbox.jira.issue_model import create, save, transition
from opskit.sandbox.state import state

MAX_TICKETS = 1000
MAX_EVENTS = 500
MAX_COMMENT = feedback_model.MAX_COMMENT
MAX_TIME_SPENT = 10 * 365 * 24 * 3600  # seconds: ten years of logged work
_LOOKUPS: ContextVar[dict[str, Any] | None] = ContextVar("ticket_lookups", default=None)


class TicketError(ValueError):
    """A ticket the loader refuses; the message says which and why."""


def _time(raw: Any, where: str) -> datetime:
    return past_time(raw, where, TicketError)


def _memo(name: str, make: Callable[[], Any]) -> Any:
    """What the loader looks names up in, made once per load (loading tickets adds issues,
    never users, projects, priorities, components or organisations)."""
    seen = _LOOKUPS.get()
    if seen is None:
        return make()
    if name not in seen:
        seen[name] = make()
    return seen[name]


def _all(kind: str) -> list[Doc]:
    docs: list[Doc] = _memo(kind, lambda: state().store.all(kind))
    return docs


def _user(email: Any, where: str) -> str:
    def by_email() -> dict[str, str]:  # the first user (in creation order) with an email
        users = reversed(state().store.all("jira.user"))
        return {str(u.get("emailAddress", "")).lower(): str(u["accountId"]) for u in users}

    found: str | None = _memo("emails", by_email).get(str(email).lower())
    if found is None:
        raise TicketError(f"{where}: no user has the email {str(email)[:100]!r}")
    return found


def _named(kind: str, name: Any, where: str, what: str, **match: str) -> Doc:
    for doc in _all(kind):
        if doc.get("name") == name and all(doc.get(k) == v for k, v in match.items()):
            return doc
    raise TicketError(f"{where}: unknown {what} {str(name)[:100]!r}")


def _fields(t: Doc, where: str) -> dict[str, Any]:
    projects = [p for p in _all("jira.project") if p["key"] == t.get("project")]
    if not projects:
        raise TicketError(f"{where}: unknown project {str(t.get('project'))[:50]!r}")
    project = projects[0]
    fields: dict[str, Any] = {
        "project": {"key": project["key"]},
        "summary": t.get("summary"),
        "priority": {"id": _named("jira.priority", t.get("priority"), where, "priority")["id"]},
    }
    if "issuetype" in t:
        fields["issuetype"] = {"name": t["issuetype"]}
    else:
        from opskit.sandbox.jira.issuetypes import project_types

        fields["issuetype"] = {"id": project_types(project)[0]}
    if t.get("organization") is not None:
        org = _named("jsm.org", t["organization"], where, "organization")
        fields[wf.ORGANIZATIONS_FIELD] = [org["id"]]
    comps = t.get("components") or []
    if not isinstance(comps, list):
        raise TicketError(f"{where}: components must be a list of names")
    fields["components"] = [
        {"id": _named("jira.component", c, where, "component", projectId=project["id"])["id"]}
        for c in comps
    ]
    for key in ("description", "labels"):
        if key in t:
            fields[key] = t[key]
    if t.get("assignee") is not None:
        fields["assignee"] = {"accountId": _user(t["assignee"], f"{where}.assignee")}
    return fields


def _event(issue: Doc, e: Any, where: str, after: datetime) -> datetime:
    if not isinstance(e, dict):
        raise TicketError(f"{where}: an event must be an object")
    at = _time(e.get("at"), f"{where}.at")
    if at < after:
        raise TicketError(f"{where}.at: events must be in time order, none before created")
    author = _user(e.get("author"), f"{where}.author")
    kinds = [k for k in ("status", "priority", "comment") if k in e]
    if len(kinds) != 1:
        raise TicketError(f"{where}: an event has exactly one of status, priority, comment")
    if kinds == ["status"]:
        if e["status"] not in wf.STATUSES:
            raise TicketError(f"{where}.status: unknown status {str(e['status'])[:50]!r}")
        if e["status"] == issue["status"]:
            raise TicketError(f"{where}.status: the ticket is already {e['status']!r}")
        transition(issue, e["status"], author, at, e.get("resolution"))
    elif kinds == ["priority"]:
        pid = _named("jira.priority", e["priority"], where, "priority")["id"]
        new, _ = edits.plan(issue, {"priority": {"id": pid}}, None)
        wf.record_change(issue, author, at, edits.apply(issue, new))
    else:
        if not isinstance(e["comment"], str) or not e["comment"].strip():
            raise TicketError(f"{where}.comment: a comment needs text")
        public = e.get("public", True)
        if not isinstance(public, bool):
            raise TicketError(f"{where}.public: must be true or false")
        seen = visibility(e.get("visibility"))
        new_comment(issue, author, e["comment"], at, public=public, seen=seen)
    issue["updated"] = jira_time(at)
    return at


def _ticket(t: Any, where: str) -> str:
    if not isinstance(t, dict):
        raise TicketError(f"{where}: a ticket must be an object")
    created = _time(t.get("created"), f"{where}.created")
    reporter = _user(t.get("reporter"), f"{where}.reporter")
    spent = _time_spent(t.get("time_spent"), f"{where}.time_spent")
    issue = create(_fields(t, where), reporter, created)
    if spent is not None:
        issue["timespent"] = spent  # logged work has no screen field: set, not edited
    events = t.get("events") or []
    if not isinstance(events, list) or len(events) > MAX_EVENTS:
        raise TicketError(f"{where}.events: a list of at most {MAX_EVENTS} events")
    last, resolved = created, None
    for n, e in enumerate(events):
        was_done = bool(issue.get("resolution"))
        last = _event(issue, e, f"{where}.events[{n}]", last)
        if issue.get("resolution") and not was_done:
            resolved = last
    save(issue)
    if t.get("feedback") is not None:
        _feedback(issue, t["feedback"], f"{where}.feedback", resolved)
    return str(issue["key"])


def _time_spent(raw: Any, where: str) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_TIME_SPENT:
        raise TicketError(f"{where}: whole seconds from 0 to {MAX_TIME_SPENT} (ten years)")
    return raw


def _feedback(issue: Doc, raw: Any, where: str, resolved: datetime | None) -> None:
    if not isinstance(raw, dict):
        raise TicketError(f"{where}: feedback must be an object {{rating, comment, at}}")
    if resolved is None:
        raise TicketError(f"{where}: the ticket is never resolved, so it cannot be rated")
    if not feedback_model.valid_rating(raw.get("rating")):
        raise TicketError(f"{where}.rating: a rating is an integer from 1 to 5")
    comment = raw.get("comment")
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
        raise TicketError(f"{where}.comment: text of at most {MAX_COMMENT} characters")
    at = resolved if raw.get("at") is None else _time(raw["at"], f"{where}.at")
    if at < resolved:
        raise TicketError(f"{where}.at: feedback cannot come before the ticket was resolved")
    feedback_model.give(issue, raw["rating"], comment or None, issue["reporter"], at)


def load_tickets(store: Store, tickets: Any) -> list[str]:
    """Create the tickets (all or none); their keys. Raises TicketError when refused."""
    from opskit.sandbox.errors import JiraError

    if store is not state().store:
        raise ValueError("load_tickets needs the running sandbox's own store")
    if not isinstance(tickets, list) or not 1 <= len(tickets) <= MAX_TICKETS:
        raise TicketError(f"tickets must be a list of 1 to {MAX_TICKETS} tickets")
    lookups = _LOOKUPS.set({})
    try:
        with store.transaction():
            keys = []
            for n, t in enumerate(tickets):
                try:
                    keys.append(_ticket(t, f"tickets[{n}]"))
                except JiraError as err:
                    errors = (f"{k}: {v}" for k, v in err.errors.items())
                    raise TicketError(
                        f"tickets[{n}]: {'; '.join([*err.messages, *errors])}"
                    ) from None
            return keys
    finally:
        _LOOKUPS.reset(lookups)
