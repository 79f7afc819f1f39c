"""``GET /oncalls``: who is on call, per escalation policy level, over a time range."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import PdError
from opskit.sandbox.pagerduty.common import fmt, query_time, ref, zone
from opskit.sandbox.pagerduty.paging import id_filter, page
from opskit.sandbox.pagerduty.schedules import final_entries
from opskit.sandbox.state import now, state

bp = Blueprint("pd_oncalls", __name__)
_MARGIN = timedelta(days=35)


@bp.get("/oncalls")
def oncalls() -> Response:
    since = query_time("since") or now()
    until = query_time("until") or since
    if until < since:
        raise PdError(400, "Invalid Query Date Range", 2005)
    tz = zone(request.args.get("time_zone") or "UTC")
    eps, schedules, users = (
        id_filter("escalation_policy_ids"),
        id_filter("schedule_ids"),
        id_filter("user_ids"),
    )
    rows: list[Doc] = []
    for ep in state().store.all("pd.escalation_policy"):
        if eps and ep["id"] not in eps:
            continue
        for level, rule in enumerate(ep["escalation_rules"], start=1):
            for target in rule["targets"]:
                if target["type"] == "user_reference":
                    if not schedules:
                        rows.append(_row(ep["id"], level, None, target["id"], None, None))
                    continue
                if schedules and target["id"] not in schedules:
                    continue
                sched = state().store.get("pd.schedule", target["id"])
                if sched is None:
                    continue
                # Render wider than asked so shifts come back whole, as PagerDuty does.
                entries = final_entries(sched, since - _MARGIN, until + _MARGIN)
                for e in entries:
                    if not (e.start <= since < e.end or since <= e.start < until):
                        continue
                    rows.append(
                        _row(ep["id"], level, sched["id"], e.user, fmt(e.start, tz), fmt(e.end, tz))
                    )
    if users:
        rows = [r for r in rows if r["user_id"] in users]
    for i, r in enumerate(rows):
        r["id"] = str(i)
    return respond(page(rows, "oncalls", _render))


def _row(
    ep: str, level: int, sched: str | None, user: str, start: str | None, end: str | None
) -> Doc:
    return {
        "ep": ep,
        "level": level,
        "schedule": sched,
        "user_id": user,
        "start": start,
        "end": end,
    }


def _render(r: Doc) -> Doc:
    return {
        "escalation_policy": ref("escalation_policy", r["ep"]),
        "escalation_level": r["level"],
        "schedule": ref("schedule", r["schedule"]) if r["schedule"] else None,
        "user": ref("user", r["user_id"]),
        "start": r["start"],
        "end": r["end"],
    }
