"""Admin endpoints under ``/_sandbox``: faults, request log and counters, health, and
loading a backdated history: Jira tickets (``POST /_sandbox/jira/tickets``, see
``opskit.sandbox.tickets`` for the contract) and PagerDuty incidents
(``POST /_sandbox/pagerduty/incidents``, see ``opskit.sandbox.pagerduty.incident_history``,
and the demo seed's, ``POST /_sandbox/pagerduty/seed-history``; 13 weeks of pages for
on-call load, ``POST /_sandbox/pagerduty/seed-pages``), and a year of resolved
tickets for capacity planning (``POST /_sandbox/jira/seed-year``, see ``seed_year_load``).
No vendor document describes these routes, so the contract checks leave them out."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from opskit.sandbox.faults import FaultConfig
from opskit.sandbox.pagerduty.incident_history import IncidentError, load_incidents, release
from opskit.sandbox.ratelimit import TokenBucket
from opskit.sandbox.seed_pages_load import PagesError, release_pages
from opskit.sandbox.seed_year_load import YearError, load_year
from opskit.sandbox.state import state
from opskit.sandbox.tickets import TicketError, load_tickets

bp = Blueprint("sandbox_admin", __name__, url_prefix="/_sandbox")


def _json(body: Any, status: int = 200) -> Response:
    resp = jsonify(body)
    resp.status_code = status
    return resp


@bp.get("/health")
def health() -> Response:
    return _json({"status": "ok"})


@bp.get("/faults")
def get_faults() -> Response:
    return _json(state().faults.config.to_dict())


@bp.put("/faults")
def put_faults() -> Response:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _json({"error": "body must be a JSON object"}, 400)
    try:
        config = FaultConfig.from_dict(data, state().faults.config)
    except ValueError as exc:
        return _json({"error": str(exc)}, 400)
    state().faults.configure(config)
    return _json(config.to_dict())


@bp.get("/ratelimits")
def get_ratelimits() -> Response:
    st = state()
    return _json(
        {"pagerduty_per_minute": st.pd_limit.capacity, "jira_per_minute": st.jira_limit.capacity}
    )


@bp.put("/ratelimits")
def put_ratelimits() -> Response:
    """Replace the buckets (fresh and full) with new per-minute limits."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not set(data) <= {"pagerduty_per_minute", "jira_per_minute"}:
        return _json({"error": "expected pagerduty_per_minute and/or jira_per_minute"}, 400)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in data.values()):
        return _json({"error": "limits must be positive integers"}, 400)
    st = state()
    if "pagerduty_per_minute" in data:
        st.pd_limit = TokenBucket(data["pagerduty_per_minute"], 60.0)
    if "jira_per_minute" in data:
        st.jira_limit = TokenBucket(data["jira_per_minute"], 60.0)
    return get_ratelimits()


@bp.get("/requests")
def requests_log() -> Response:
    """Recent exchanges; ``?limit=N`` for the last N, ``?bodies=1`` to include bodies."""
    entries = state().log.snapshot()
    limit = request.args.get("limit", type=int) or len(entries)
    bodies = request.args.get("bodies") in ("1", "true")
    return _json(
        {"requests": [e.summary() | (e.bodies() if bodies else {}) for e in entries[-limit:]]}
    )


@bp.get("/counters")
def counters() -> Response:
    return _json({"counters": state().log.counts()})


@bp.delete("/requests")
def clear_log() -> Response:
    state().log.clear()
    return Response(status=204)


@bp.post("/jira/tickets")
def jira_tickets() -> Response:
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or "tickets" not in data:
        return _json({"error": 'body must be a JSON object {"tickets": [...]}'}, 400)
    try:
        keys = load_tickets(state().store, data["tickets"])
    except TicketError as exc:
        return _json({"error": str(exc)}, 400)
    return _json({"keys": keys}, 201)


@bp.post("/pagerduty/incidents")
def pagerduty_incidents() -> Response:
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or "incidents" not in data:
        return _json({"error": 'body must be a JSON object {"incidents": [...]}'}, 400)
    try:
        ids = load_incidents(state().store, data["incidents"])
    except IncidentError as exc:
        return _json({"error": str(exc)}, 400)
    return _json({"ids": ids}, 201)


@bp.post("/pagerduty/seed-history")
def pagerduty_seed_history() -> Response:
    """The demo seed's incident history for the services that exist now (after apply)."""
    ids, waiting = release(state().store)
    return _json({"ids": ids, "waiting": waiting}, 200)


@bp.post("/pagerduty/seed-pages")
def pagerduty_seed_pages() -> Response:
    """The demo's 13 weeks of pages on the services that exist now (after apply), for on-call
    load (``seed_pages_load``): each service's once; 409 without the demo seed."""
    try:
        ids, waiting = release_pages(state().store)
    except PagesError as exc:
        return _json({"error": str(exc)}, 409)
    return _json({"ids": ids, "waiting": waiting}, 200)


@bp.post("/jira/seed-year")
def jira_seed_year() -> Response:
    """A year of resolved tickets before the demo seed's anchor, once per database:
    ``{"loaded": N}``, then ``{"loaded": 0}``; 409 without the demo seed."""
    try:
        return _json({"loaded": load_year(state().store)})
    except YearError as exc:
        return _json({"error": str(exc)}, 409)
