"""Overrides: created in bulk and answered per item (partial success)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, request

from opskit.sandbox import schedule_render as sr
from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import PdError, pd_invalid, pd_not_found
from opskit.sandbox.pagerduty.common import (
    check_ref,
    fmt,
    json_object,
    load,
    new_id,
    parse_time,
    query_time,
    ref,
    zone,
)
from opskit.sandbox.pagerduty.schedules import overrides_of
from opskit.sandbox.state import state

bp = Blueprint("pd_overrides", __name__)


def render_override(o: Doc, tz: ZoneInfo) -> Doc:
    return {
        "id": o["id"],
        "start": fmt(sr.parse_dt(o["start"]), tz),
        "end": fmt(sr.parse_dt(o["end"]), tz),
        "user": ref("user", o["user_id"]),
    }


def _one_override(sid: str, data: Any) -> Doc:
    if not isinstance(data, dict):
        raise pd_invalid("override must be an object")
    start, end = parse_time(data.get("start"), "start"), parse_time(data.get("end"), "end")
    if end <= start:
        raise pd_invalid("Override end must be after its start")
    user = check_ref(data.get("user"), "user", "user")
    doc = {
        "id": new_id("Q"),
        "schedule_id": sid,
        "user_id": user,
        "start": fmt(start),
        "end": fmt(end),
    }
    state().store.put("pd.override", doc["id"], doc)
    return doc


@bp.post("/schedules/<sid>/overrides")
def create_overrides(sid: str) -> Response:
    sched = load("schedule", sid)
    tz = ZoneInfo(sched["time_zone"])
    body = json_object()
    if isinstance(body, dict) and isinstance(body.get("override"), dict):
        return respond({"override": render_override(_one_override(sid, body["override"]), tz)}, 201)
    if not isinstance(body, dict) or not isinstance(body.get("overrides"), list):
        raise pd_invalid("overrides must be a list")
    if not body["overrides"]:
        raise pd_invalid("overrides must not be empty")
    results: list[Doc] = []
    for item in body["overrides"]:  # answered per item: partial success is normal
        try:
            results.append(
                {"status": 201, "override": render_override(_one_override(sid, item), tz)}
            )
        except PdError as err:
            echo = (
                {k: item[k] for k in ("start", "end", "user") if k in item}
                if isinstance(item, dict)
                else {}
            )
            results.append({"status": 400, "errors": err.errors or [err.message], "override": echo})
    return respond(results, 201)


@bp.get("/schedules/<sid>/overrides")
def list_overrides(sid: str) -> Response:
    sched = load("schedule", sid)
    since, until = query_time("since"), query_time("until")
    if since is None or until is None:
        raise pd_invalid("since and until are required")
    tz = zone(request.args.get("time_zone") or sched["time_zone"])
    items = [
        o
        for o in overrides_of(sid)
        if sr.parse_dt(o["start"]) < until and sr.parse_dt(o["end"]) > since
    ]
    return respond({"overrides": [render_override(o, tz) for o in items]})


@bp.delete("/schedules/<sid>/overrides/<oid>")
def delete_override(sid: str, oid: str) -> Response:
    load("schedule", sid)
    doc = state().store.get("pd.override", oid)
    if doc is None or doc["schedule_id"] != sid:
        raise pd_not_found()
    state().store.delete("pd.override", oid)
    return Response(status=204)
