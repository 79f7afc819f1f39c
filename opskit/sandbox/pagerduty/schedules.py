"""Schedules: CRUD, rendering for since/until, and preview."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, request

from opskit.sandbox import schedule_render as sr
from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import PdError, pd_invalid
from opskit.sandbox.pagerduty import schedule_model as sm
from opskit.sandbox.pagerduty.common import (
    decorate,
    fmt,
    load,
    new_id,
    query_time,
    ref,
    related_index,
    wrapped,
    zone,
)
from opskit.sandbox.pagerduty.paging import page
from opskit.sandbox.state import now, state

bp = Blueprint("pd_schedules", __name__)


def overrides_of(sid: str) -> list[Doc]:
    return related_index("overrides by schedule", "pd.override", lambda o: [o["schedule_id"]]).get(
        sid, []
    )


def final_entries(doc: Doc, since: datetime, until: datetime) -> list[sr.Entry]:
    layers = [sr.layer_from_api(sm_api(x)) for x in doc["layers"]]
    overrides = [
        sr.Override(o["user_id"], sr.parse_dt(o["start"]), sr.parse_dt(o["end"]))
        for o in overrides_of(doc["id"])
    ]
    return sr.render_final(layers, overrides, ZoneInfo(doc["time_zone"]), since, until)


def sm_api(x: dict[str, Any]) -> dict[str, Any]:
    return dict(x, users=[{"user": {"id": u}} for u in x["users"]])


def _entries_json(entries: list[sr.Entry], tz: ZoneInfo) -> list[Doc]:
    return [
        {"user": ref("user", e.user), "start": fmt(e.start, tz), "end": fmt(e.end, tz)}
        for e in entries
    ]


def _subschedule(
    name: str, entries: list[sr.Entry], tz: ZoneInfo, since: datetime, until: datetime
) -> Doc:
    return {
        "name": name,
        "rendered_schedule_entries": _entries_json(entries, tz),
        "rendered_coverage_percentage": sr.coverage_percentage(entries, since, until),
    }


def render_schedule(
    doc: Doc,
    window: tuple[datetime, datetime] | None = None,
    include: frozenset[str] = frozenset({"layers", "final_schedule", "overrides_subschedule"}),
) -> Doc:
    tz = zone(request.args.get("time_zone") or doc["time_zone"])
    out = decorate("schedule", {k: v for k, v in doc.items() if k not in ("layers", "teams")})
    layers = []
    for x in reversed(doc["layers"]):  # PagerDuty answers with the highest layer first
        rendered = sm.render_layer_json(x, tz)
        if window and "layers" in include:
            entries = sr.render_layer(sr.layer_from_api(sm_api(x)), tz, *window)
            rendered["rendered_schedule_entries"] = _entries_json(entries, tz)
            rendered["rendered_coverage_percentage"] = sr.coverage_percentage(entries, *window)
        layers.append(rendered)
    out["schedule_layers"] = layers
    out["users"] = [
        ref("user", u) for u in dict.fromkeys(u for x in doc["layers"] for u in x["users"])
    ]
    out["teams"] = [ref("team", t) for t in doc.get("teams", [])]
    by_target = related_index(
        "policies by target",
        "pd.escalation_policy",
        lambda ep: (t["id"] for r in ep["escalation_rules"] for t in r["targets"]),
    )
    out["escalation_policies"] = [
        ref("escalation_policy", ep["id"]) for ep in by_target.get(doc["id"], [])
    ]
    if not window:
        # Always there, as PagerDuty sends them; entries need since or until (and the
        # coverage is null without them, as the document says).
        for key, name in (("final_schedule", "Final Schedule"), ("overrides_subschedule", "Overrides")):
            if key in include:
                out[key] = {"name": name, "rendered_schedule_entries": [],
                            "rendered_coverage_percentage": None}  # fmt: skip
        return out
    if "final_schedule" in include:
        out["final_schedule"] = _subschedule(
            "Final Schedule", final_entries(doc, *window), tz, *window
        )
    if "overrides_subschedule" in include:
        ovr = [
            sr.Entry(
                o["user_id"],
                max(sr.parse_dt(o["start"]), window[0]),
                min(sr.parse_dt(o["end"]), window[1]),
            )
            for o in overrides_of(doc["id"])
            if sr.parse_dt(o["start"]) < window[1] and sr.parse_dt(o["end"]) > window[0]
        ]
        out["overrides_subschedule"] = _subschedule("Overrides", sr.merge(ovr), tz, *window)
    return out


def _listed(doc: Doc) -> Doc:
    """In lists, PagerDuty renders a window's entries only for the sub-schedules asked for."""
    wanted = frozenset(request.args.getlist("include[]")) & {
        "final_schedule",
        "overrides_subschedule",
    }
    window = _window() if wanted else None
    return render_schedule(doc, window, wanted)


TWO_WEEKS = timedelta(weeks=2)


def _window() -> tuple[datetime, datetime] | None:
    """The document's defaults: since is 2 weeks before a given until, until 2 weeks after
    a given since; with neither, no window."""
    since, until = query_time("since"), query_time("until")
    if since is None and until is None:
        return None
    if since is None:
        assert until is not None
        since = until - TWO_WEEKS
    if until is None:
        until = since + TWO_WEEKS
    if until < since:
        raise PdError(400, "Invalid Query Date Range", 2005)
    return since, until


@bp.get("/schedules")
def list_schedules() -> Response:
    items = state().store.all("pd.schedule")
    query = request.args.get("query", "").lower()
    if query:
        items = [s for s in items if query in s["name"].lower()]
    return respond(page(items, "schedules", _listed))


@bp.post("/schedules")
def create_schedule() -> Response:
    fields = sm.schedule_fields(wrapped("schedule"))
    fields["layers"] = sm.new_layers(fields["layers"], now())
    doc = {"id": new_id(), **fields}
    state().store.put("pd.schedule", doc["id"], doc)
    return respond({"schedule": render_schedule(doc, _window())}, 201)


@bp.post("/schedules/preview")
def preview_schedule() -> Response:
    fields = sm.schedule_fields(wrapped("schedule"))
    fields["layers"] = sm.new_layers(fields["layers"], now())
    doc = {"id": "PREVIEW", **fields}
    return respond({"schedule": render_schedule(doc, _window() or (now(), now()))})


@bp.get("/schedules/<sid>")
def get_schedule(sid: str) -> Response:
    return respond({"schedule": render_schedule(load("schedule", sid), _window())})


@bp.put("/schedules/<sid>")
def update_schedule(sid: str) -> Response:
    doc = load("schedule", sid)
    fields = sm.schedule_fields(wrapped("schedule"))
    fields["layers"] = sm.merge_layers(doc["layers"], fields["layers"], now())
    doc.update(fields)
    state().store.put("pd.schedule", sid, doc)
    return respond({"schedule": render_schedule(doc, _window())})


@bp.delete("/schedules/<sid>")
def delete_schedule(sid: str) -> Response:
    load("schedule", sid)
    for ep in state().store.all("pd.escalation_policy"):
        if any(t["id"] == sid for r in ep["escalation_rules"] for t in r["targets"]):
            raise pd_invalid("Schedule cannot be deleted as it is used by escalation policies")
    state().store.delete("pd.schedule", sid)
    for o in overrides_of(sid):
        state().store.delete("pd.override", o["id"])
    return Response(status=204)
