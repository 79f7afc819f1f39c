"""The postmortem's document: plain data the Markdown and HTML writers both render."""

from __future__ import annotations

from typing import Any

from opskit.playbooks.postmortem.clock import Clock, duration, instant
from opskit.playbooks.postmortem.fold import Folded, fold
from opskit.playbooks.postmortem.remote import Remote
from opskit.playbooks.timeline import detail
from opskit.sla.text import span

PAGE_KINDS = {"page", "notify"}


def build(
    run_id: str, events: list[dict[str, Any]], zone_name: str = "UTC",
    planned: list[str] | None = None, remote: Remote | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The document; `planned` is the playbook's step ids (when known), `remote` what was
    read from PagerDuty and Jira (none: the journal alone)."""
    clock, remote = Clock(zone_name), remote or Remote()
    folded = fold(events, clock)
    first = events[0] if events and events[0].get("event") == "run.started" else {}
    started, ended = instant(first.get("at")), instant(events[-1].get("at")) if events else None
    summary = {
        "run": run_id, "playbook": str(first.get("playbook", "?")),
        "title": str(first.get("title") or ""),
        "inputs": {str(k): str(v) for k, v in (first.get("inputs") or {}).items()},
        "user": str(first.get("user") or "?"),
        "started": clock.stamp(first.get("at")) if first else None,
        "ended": clock.stamp(events[-1].get("at")) if events else None,
        "duration": duration((ended - started).total_seconds()) if started and ended else "?",
        "state": folded.state, "zone": zone_name, "two_zones": clock.two_zones,
        "notes": list(remote.notes),
        "read_at": clock.stamp(remote.read_at) if remote.read_at else None,
    }  # fmt: skip
    timeline = [
        {"seq": e.get("seq"), **clock.stamp(e.get("at")), "event": str(e.get("event")),
         "step": str(e.get("step") or ""), "detail": detail(e)}
        for e in events
    ]  # fmt: skip
    paged = _paged(folded, remote, clock)
    return {
        "summary": summary, "timeline": timeline, "steps": list(folded.steps.values()),
        "paged": paged, "acknowledged": _acknowledged(paged), "pagerduty_read": bool(remote.responses),
        "sla": _sla(folded, remote, clock), "jira": _jira(folded),
        "followups": _followups(folded, planned),
    }  # fmt: skip


def _finished(folded: Folded, kinds: set[str]) -> list[dict[str, Any]]:
    return [
        s for s in folded.steps.values()
        if s["state"] == "finished" and s["kind"] in kinds and isinstance(s["outputs"], dict)
    ]  # fmt: skip


def _paged(folded: Folded, remote: Remote, clock: Clock) -> list[dict[str, Any]]:
    rows, shown = [], set()
    for step in _finished(folded, PAGE_KINDS):
        out = step["outputs"]
        incident = str(out.get("incident_id") or "")
        sent = instant(step["ended_at"])
        responses = []
        if incident and incident not in shown:  # an incident's story is told at its first step
            shown.add(incident)
            for r in remote.responses.get(incident, []):
                at = instant(r["at"])
                after = duration((at - sent).total_seconds()) if at and sent and at >= sent else ""
                responses.append({**r, "at": clock.stamp(r["at"]), "after": after})
        rows.append({
            "step": step["id"], "kind": step["kind"], "at": step["ended"],
            "action": str(out.get("action") or "trigger"),
            "service": str(out.get("service") or ""),
            "dedup_key": str(out.get("dedup_key") or ""), "incident_id": incident,
            "incident_number": str(out.get("incident_number") or ""),
            "incident_url": str(out.get("incident_url") or ""),
            "status": str(out.get("status") or ""),
            "on_call": [str(n) for n in out.get("on_call") or []], "responses": responses,
        })  # fmt: skip
    return rows


def _acknowledged(paged: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per incident opened: who acknowledged first and how long after the page, as
    PagerDuty recorded it."""
    out = []
    for row in paged:
        if row["action"] != "trigger" or not row["responses"]:
            continue
        acks = [r for r in row["responses"] if r["what"] == "acknowledged"]
        resolved = [r for r in row["responses"] if r["what"] == "resolved"]
        first = acks[0] if acks else None
        out.append({
            "step": row["step"], "service": row["service"],
            "incident_number": row["incident_number"],
            "who": first["who"] if first else "", "at": first["at"] if first else None,
            "after": first["after"] if first else "",
            "resolved_by": resolved[-1]["who"] if resolved else "",
        })  # fmt: skip
    return out


def _remaining(seconds: Any) -> str:
    return span(int(seconds)) if isinstance(seconds, int | float) else "–"


def _sla_row(out: dict[str, Any], when: str, clock: Clock) -> dict[str, Any]:
    clocks = out.get("clocks") or {}
    return {
        "ticket": str(out.get("ticket") or ""), "when": when,
        "tier": str(out.get("tier") or ""), "priority": str(out.get("priority") or ""),
        "untracked": str(out.get("untracked") or ""),
        "clocks": [
            {"metric": str(metric), "state": str(c.get("state", "")),
             "remaining": _remaining(c.get("remaining")),
             "deadline": clock.stamp(c["deadline"]) if c.get("deadline") else None}
            for metric, c in clocks.items() if isinstance(c, dict)
        ],
    }  # fmt: skip


def _sla(folded: Folded, remote: Remote, clock: Clock) -> list[dict[str, Any]]:
    rows = [
        _sla_row(s["outputs"], f"during the run (step {s['id']})", clock)
        for s in _finished(folded, {"sla"})
    ]
    read_at = clock.stamp(remote.read_at)["utc"] if remote.read_at else "now"
    return rows + [_sla_row(t, f"now ({read_at})", clock) for t in remote.tickets]


def _jira(folded: Folded) -> list[dict[str, Any]]:
    """One entry an issue: what the run did to it, step by step, and its last status."""
    issues: dict[str, dict[str, Any]] = {}
    for step in _finished(folded, {"jira"}):
        out = step["outputs"]
        key = str(out.get("key") or "?")
        issue = issues.setdefault(key, {"key": key, "url": "", "actions": [], "status": ""})
        issue["url"] = issue["url"] or str(out.get("url") or "")
        issue["actions"].append(f"{out.get('action') or '?'} ({step['id']})")
        issue["status"] = str(out.get("status") or issue["status"])
    return list(issues.values())


def _followups(folded: Folded, planned: list[str] | None) -> list[str]:
    out: list[str] = []
    for step in folded.steps.values():
        if step["state"] == "failed":
            out.append(f"Step {step['id']} failed: {step['message']}".rstrip(": "))
        elif step["state"] == "in flight":
            out.append(f"Step {step['id']} was started and never finished")
    if folded.state != "finished":
        missing = [s for s in planned or [] if s not in folded.steps]
        following = folded.pending_next
        if following and following not in folded.steps and following not in missing:
            missing.insert(0, str(following))
        out += [f"Step {s} was not reached" for s in missing]
    for step in folded.steps.values():
        out += [f"Note on {step['id']}: {note}" for note in step["notes"]]
        out += [f"Not done ({step['id']}): {a['question']}" for a in step["answers"] if a["declined"]]
    return out
