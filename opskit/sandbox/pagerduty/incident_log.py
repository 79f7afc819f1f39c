"""Who an incident reached and who answered it: assignments, acknowledgements and the
incident's log entries, as PagerDuty keeps them.

- Opened (REST or Events API), an incident is assigned to whoever the first rule of its
  service's escalation policy reaches at that moment: a user target is that user, a
  schedule target the user on call in it then (the sandbox's own rendering). The log gets a
  trigger entry (agent: the From user over REST, the service over the Events API), then an
  assign and a notify entry for each assignee. Nobody on call: unassigned, nothing notified.
- Acknowledged, the incident keeps one acknowledgement per acknowledger ({at,
  acknowledger}); the log gets an acknowledge entry. Resolved, its assignments and
  acknowledgements are cleared, as PagerDuty does, and the log gets a resolve entry.
- ``GET /incidents/{id}/log_entries`` lists them newest first (PagerDuty's order), offset
  paginated, with ``since``/``until`` on ``created_at``; ``GET /log_entries`` the same for
  the whole account (``team_ids[]``: of incidents on those teams' services) and
  ``GET /log_entries/{id}`` one. ``is_overview=true`` leaves out the notify entries (the
  most important changes only); ``include[]`` fills the references it names.

Escalation over time (the next rule after its delay) is not emulated.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Response, request

from opskit.sandbox.app_util import respond
from opskit.sandbox.db import Doc
from opskit.sandbox.errors import pd_not_found
from opskit.sandbox.pagerduty.common import base_url, fmt, load, new_id, query_time, ref
from opskit.sandbox.pagerduty.paging import expand, id_filter, page
from opskit.sandbox.state import state

bp = Blueprint("pd_incident_log", __name__)
KIND = "pd.log_entry"
SUMMARIES = {
    "trigger_log_entry": "Triggered",
    "assign_log_entry": "Assigned",
    "notify_log_entry": "Notified",
    "acknowledge_log_entry": "Acknowledged",
    "resolve_log_entry": "Resolved",
}
NOT_OVERVIEW = {"notify_log_entry"}


def user_with_email(email: str) -> str | None:
    for user in state().store.all("pd.user"):
        if str(user.get("email", "")).lower() == email.lower():
            return str(user["id"])
    return None


def log(incident: Doc, kind: str, at: datetime, agent: tuple[str, str] | None,
        channel: str, **extra: Any) -> None:  # fmt: skip
    entry = {"id": new_id("R"), "type": kind, "incident": incident["id"],
             "service": incident["service"], "created_at": fmt(at), "at": at.timestamp(),
             "agent": list(agent) if agent else None, "channel": channel, **extra}  # fmt: skip
    state().store.put(KIND, entry["id"], entry)


def first_reached(service_id: str, at: datetime) -> list[str]:
    """The user ids the first rule of the service's escalation policy reaches at `at`."""
    from opskit.sandbox.pagerduty.schedules import final_entries

    service = state().store.get("pd.service", service_id) or {}
    policy = state().store.get("pd.escalation_policy", str(service.get("escalation_policy")))
    rules = (policy or {}).get("escalation_rules") or []
    out: list[str] = []
    for target in rules[0].get("targets", []) if rules else []:
        kind = str(target.get("type", "")).removesuffix("_reference")
        if kind == "user":
            out.append(str(target["id"]))
        elif kind == "schedule":
            schedule = state().store.get("pd.schedule", str(target["id"]))
            if schedule is not None:
                entries = final_entries(schedule, at, at + timedelta(seconds=1))
                out += [e.user for e in entries]
    return list(dict.fromkeys(out))


def opened(incident: Doc, at: datetime, agent: tuple[str, str] | None, channel: str) -> None:
    log(incident, "trigger_log_entry", at, agent, channel)
    assignees = first_reached(incident["service"], at)
    incident["assignments"] = [{"at": fmt(at), "assignee": u} for u in assignees]
    if assignees:
        log(incident, "assign_log_entry", at, agent, channel, assignees=assignees)
    for user in assignees:
        log(incident, "notify_log_entry", at, ("service", incident["service"]), "auto", user=user)


def acknowledged(incident: Doc, at: datetime, agent: tuple[str, str], channel: str) -> None:
    acks = list(incident.get("acknowledgements") or [])
    if any(a["by"] == list(agent) for a in acks):
        return  # acknowledged again by the same one: nothing changes
    incident["acknowledgements"] = [*acks, {"at": fmt(at), "by": list(agent)}]
    log(incident, "acknowledge_log_entry", at, agent, channel)


def resolved(incident: Doc, at: datetime, agent: tuple[str, str] | None, channel: str) -> None:
    incident["assignments"], incident["acknowledgements"] = [], []
    log(incident, "resolve_log_entry", at, agent, channel)


def rendered_people(incident: Doc) -> dict[str, Any]:
    """The incident's `assignments` and `acknowledgements` as the API shows them."""
    return {
        "assignments": [{"at": a["at"], "assignee": ref("user", a["assignee"])}
                        for a in incident.get("assignments") or []],
        "acknowledgements": [{"at": a["at"], "acknowledger": ref(*a["by"])}
                             for a in incident.get("acknowledgements") or []],
    }  # fmt: skip


def render(entry: Doc) -> Doc:
    out: Doc = {
        "id": entry["id"], "type": entry["type"],
        "summary": SUMMARIES.get(entry["type"], entry["type"]),
        "self": f"{base_url()}/log_entries/{entry['id']}",
        "html_url": f"https://sandbox.pagerduty.local/incidents/{entry['incident']}/log_entries/{entry['id']}",
        "created_at": entry["created_at"],
        "channel": {"type": entry["channel"]},
        "incident": ref("incident", entry["incident"]),
        "service": ref("service", entry["service"]),
    }  # fmt: skip
    if entry.get("agent"):
        kind, agent_id = entry["agent"]
        out["agent"] = ref(kind, agent_id)
    if entry.get("user"):
        out["user"] = ref("user", entry["user"])
    if entry.get("assignees"):
        out["assignees"] = [ref("user", u) for u in entry["assignees"]]
    return out


def _listed(entries: list[Doc]) -> Response:
    since, until = query_time("since"), query_time("until")
    if since is not None:
        entries = [e for e in entries if e["at"] >= since.timestamp()]
    if until is not None:
        entries = [e for e in entries if e["at"] < until.timestamp()]
    if request.args.get("is_overview", "false").lower() == "true":
        entries = [e for e in entries if e["type"] not in NOT_OVERVIEW]
    entries.sort(key=lambda e: (e["at"], e["id"]), reverse=True)  # newest first
    return respond(page(entries, "log_entries", render))


@bp.get("/incidents/<iid>/log_entries")
def list_log_entries(iid: str) -> Response:
    load("incident", iid)
    return _listed([e for e in state().store.all(KIND) if e["incident"] == iid])


@bp.get("/log_entries")
def list_account_log_entries() -> Response:
    entries = state().store.all(KIND)
    teams = id_filter("team_ids")
    if teams:
        services = {str(s["id"]) for s in state().store.all("pd.service")
                    if teams & set(s.get("teams") or [])}  # fmt: skip
        entries = [e for e in entries if e["service"] in services]
    return _listed(entries)


@bp.get("/log_entries/<entry_id>")
def get_log_entry(entry_id: str) -> Response:
    entry = state().store.get(KIND, entry_id)
    if entry is None:
        raise pd_not_found()
    return respond({"log_entry": expand(render(entry))})
