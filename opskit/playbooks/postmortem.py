"""A run's postmortem, from its journal alone (nothing is fetched): Markdown or HTML.

Sections: the summary (playbook, title, inputs, who ran it, start, end, duration, final
state), the timeline (every event in UTC and in the incident's zone), what was done (each
step: outcome, adopted, message, notes, answers), who was paged and when (`page` and
`notify` outputs; the acknowledgement is the time of a `page` acknowledge or resolve),
the SLA outcomes (`sla` outputs), the Jira links (`jira` outputs) and the open
follow-ups (steps failed, in flight or not reached, notes, checklist items answered no).

The zone is the caller's: `zone_for` gives the service input's support-hours calendar
zone when the policy knows the service, else UTC. The HTML page shares the service
review's style (`opskit/sla/review/templates/style.css.j2`), is autoescaped and has no
scripts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2

from opskit.errors import UsageError
from opskit.playbooks.journal import parse_stamp

TEMPLATES = Path(__file__).with_name("templates")
REVIEW_TEMPLATES = Path(__file__).parents[1] / "sla" / "review" / "templates"
PAGE_KINDS = {"page", "notify"}
PAGE_ACTIONS = {"trigger", "acknowledge", "resolve"}


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--zone: unknown time zone {name!r} (e.g. Europe/Berlin)") from None


def zone_for(events: list[dict[str, Any]], policy: Any) -> str:
    """The incident's zone: its service's support-hours zone, else UTC."""
    inputs = (events[0].get("inputs") if events else None) or {}
    service = inputs.get("service") if isinstance(inputs, dict) else None
    found = policy.services.get(str(service)) if policy is not None and service else None
    return str(found.support_hours.timezone) if found is not None else "UTC"


def _time(text: Any) -> dt.datetime | None:
    try:
        at = parse_stamp(str(text))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def duration(seconds: float) -> str:
    left = int(seconds)
    hours, left = divmod(left, 3600)
    minutes, secs = divmod(left, 60)
    parts = [f"{hours}h"] if hours else []
    parts += [f"{minutes}m"] if minutes or hours else []
    return " ".join([*parts, f"{secs}s"])


def detail(event: dict[str, Any]) -> str:
    """What one event says, in one line."""
    name = str(event.get("event"))
    if name == "run.started":
        inputs = ", ".join(f"{k}={v}" for k, v in (event.get("inputs") or {}).items())
        return f"{event.get('playbook')} by {event.get('user', '?')}" + (
            f" ({inputs})" if inputs else ""
        )
    if name == "step.started":
        again = ", after an interruption" if event.get("in_flight") else ""
        return f"{event.get('kind', '?')}, attempt {event.get('attempt', 1)}{again}"
    if name == "step.answer":
        return f"{event.get('question')} → {_answer(event.get('answer'))}"
    if name == "step.note":
        return str(event.get("text", ""))
    if name == "step.output":
        return f"{len(str(event.get('text', '')).splitlines())} lines of output"
    if name == "step.finished":
        adopted = " (adopted)" if event.get("adopted") else ""
        return f"{event.get('outcome')}{adopted} {event.get('message') or ''}".rstrip()
    if name in {"step.failed", "run.aborted"}:
        return str(event.get("message") or event.get("reason") or "")
    if name == "step.skipped":
        return f"when: {event.get('when')}"
    if name == "run.finished":
        return str(event.get("outcome", ""))
    return ""


def _answer(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def build(
    run_id: str, events: list[dict[str, Any]], zone_name: str = "UTC",
    planned: list[str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The postmortem's document; `planned` is the playbook's step ids, when known."""
    local = zone(zone_name)
    first = events[0] if events and events[0].get("event") == "run.started" else {}

    def times(text: Any) -> dict[str, str]:
        at = _time(text)
        if at is None:
            return {"utc": str(text), "local": str(text)}
        return {
            "utc": f"{at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S}Z",
            "local": f"{at.astimezone(local):%Y-%m-%d %H:%M:%S %Z}",
        }

    steps: dict[str, dict[str, Any]] = {}
    state = "interrupted"
    pending_next: str | None = None
    for event in events:
        name, step_id = str(event.get("event")), event.get("step")
        if name == "run.finished":
            state = "finished"
            continue
        if not step_id or not name.startswith("step."):
            continue
        step = steps.setdefault(str(step_id), {
            "id": str(step_id), "kind": "?", "outcome": "started, not finished",
            "adopted": False, "message": "", "notes": [], "answers": [], "outputs": {},
            "at": times(event.get("at")), "ended": None, "attempts": 0, "state": "in flight",
        })  # fmt: skip
        if name == "step.started":
            step["kind"] = str(event.get("kind") or step["kind"])
            step["attempts"] = max(step["attempts"], int(event.get("attempt") or 1))
            step["state"], step["outcome"] = "in flight", "started, not finished"
            state = "interrupted"
        elif name == "step.answer":
            step["answers"].append({"question": str(event.get("question", "")),
                                    "answer": _answer(event.get("answer")),
                                    "declined": event.get("answer") is False})  # fmt: skip
        elif name == "step.note":
            step["notes"].append(str(event.get("text", "")))
        elif name == "step.finished":
            step.update(
                state="finished", outcome=str(event.get("outcome", "done")),
                adopted=bool(event.get("adopted")), message=str(event.get("message") or ""),
                outputs=event.get("outputs") or {}, ended=times(event.get("at")),
            )  # fmt: skip
            pending_next = event.get("next")
            state = "interrupted"
        elif name == "step.skipped":
            step.update(state="skipped", outcome=f"skipped (when: {event.get('when')})",
                        ended=times(event.get("at")))  # fmt: skip
            pending_next = event.get("next")
            state = "interrupted"
        elif name == "step.failed":
            step.update(state="failed", outcome="failed", message=str(event.get("message") or ""),
                        ended=times(event.get("at")))  # fmt: skip
            state = "failed"
    if state != "finished" and events and events[-1].get("event") == "run.aborted":
        state = "interrupted"
    for step in steps.values():
        if step["kind"] == "?":
            step["kind"] = _guess_kind(step["outputs"])

    started, ended = _time(first.get("at")), _time(events[-1].get("at")) if events else None
    summary = {
        "run": run_id, "playbook": str(first.get("playbook", "?")),
        "title": str(first.get("title") or ""),
        "inputs": {str(k): str(v) for k, v in (first.get("inputs") or {}).items()},
        "user": str(first.get("user") or "?"),
        "started": times(first.get("at")) if first else None,
        "ended": times(events[-1].get("at")) if events else None,
        "duration": duration((ended - started).total_seconds()) if started and ended else "?",
        "state": state, "zone": zone_name,
    }  # fmt: skip
    timeline = [
        {"seq": e.get("seq"), **times(e.get("at")), "event": str(e.get("event")),
         "step": str(e.get("step") or ""), "detail": detail(e)}
        for e in events
    ]  # fmt: skip

    paged, acknowledged, slas, jira = [], [], [], []
    for step in steps.values():
        out = step["outputs"] if isinstance(step["outputs"], dict) else {}
        if step["state"] != "finished":
            continue
        if step["kind"] in PAGE_KINDS:
            row = {
                "step": step["id"], "kind": step["kind"], "at": step["ended"],
                "action": str(out.get("action") or "trigger"),
                "service": str(out.get("service") or ""),
                "dedup_key": str(out.get("dedup_key") or ""),
                "incident_number": str(out.get("incident_number") or ""),
                "incident_url": str(out.get("incident_url") or ""),
                "status": str(out.get("status") or ""),
                "on_call": [str(n) for n in out.get("on_call") or []],
            }  # fmt: skip
            paged.append(row)
            if step["kind"] == "page" and row["action"] in {"acknowledge", "resolve"}:
                acknowledged.append(row)
        elif step["kind"] == "sla":
            clocks = out.get("clocks") or {}
            slas.append({
                "step": step["id"], "at": step["ended"], "ticket": str(out.get("ticket") or ""),
                "tier": str(out.get("tier") or ""), "priority": str(out.get("priority") or ""),
                "untracked": str(out.get("untracked") or ""),
                "clocks": [
                    {"metric": str(metric), "state": str(c.get("state", "")),
                     "remaining": _remaining(c.get("remaining")),
                     "deadline": times(c["deadline"]) if c.get("deadline") else None}
                    for metric, c in clocks.items() if isinstance(c, dict)
                ],
            })  # fmt: skip
        elif step["kind"] == "jira":
            jira.append({"step": step["id"], "action": str(out.get("action") or ""),
                         "key": str(out.get("key") or ""), "url": str(out.get("url") or ""),
                         "status": str(out.get("status") or "")})  # fmt: skip

    followups: list[str] = []
    for step in steps.values():
        if step["state"] == "failed":
            followups.append(f"Step {step['id']} failed: {step['message']}".rstrip(": "))
        elif step["state"] == "in flight":
            followups.append(f"Step {step['id']} was started and never finished")
    if state != "finished":
        missing = [s for s in planned or [] if s not in steps]
        if pending_next and pending_next not in steps and pending_next not in missing:
            missing.insert(0, str(pending_next))
        followups += [f"Step {s} was not reached" for s in missing]
    for step in steps.values():
        followups += [f"Note on {step['id']}: {note}" for note in step["notes"]]
        followups += [
            f"Not done ({step['id']}): {a['question']}" for a in step["answers"] if a["declined"]
        ]
    return {
        "summary": summary, "timeline": timeline, "steps": list(steps.values()),
        "paged": paged, "acknowledged": acknowledged, "sla": slas, "jira": jira,
        "followups": followups,
    }  # fmt: skip


def _guess_kind(outputs: Any) -> str:
    if not isinstance(outputs, dict):
        return "?"
    if "on_call" in outputs:
        return "notify"
    if "dedup_key" in outputs and outputs.get("action") in PAGE_ACTIONS:
        return "page"
    if "clocks" in outputs or "untracked" in outputs:
        return "sla"
    if "key" in outputs and "url" in outputs:
        return "jira"
    return "?"


def _remaining(seconds: Any) -> str:
    if not isinstance(seconds, int | float):
        return "–"
    from opskit.sla.text import span

    return span(int(seconds))


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or " "


def markdown(doc: dict[str, Any]) -> str:
    s = doc["summary"]
    zone_name = s["zone"]
    lines = [f"# Postmortem: {s['title'] or s['playbook']}", ""]
    lines += [
        f"- Run: `{s['run']}`",
        f"- Playbook: {s['playbook']}" + (f" ({s['title']})" if s["title"] else ""),
        "- Inputs: " + (", ".join(f"{k}={v}" for k, v in s["inputs"].items()) or "none"),
        f"- Run by: {s['user']}",
    ]
    for label in ("started", "ended"):
        at = s[label]
        if at:
            lines.append(f"- {label.capitalize()}: {at['utc']} ({at['local']})")
    lines += [f"- Duration: {s['duration']}", f"- Final state: {s['state']}", ""]

    lines += ["## Timeline", "", f"| # | UTC | {zone_name} | Event | Step | Detail |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    lines += [
        f"| {e['seq']} | {e['utc']} | {e['local']} | {e['event']} | {_cell(e['step'])} "
        f"| {_cell(e['detail'])} |"
        for e in doc["timeline"]
    ]
    lines += ["", "## What was done", ""]
    if not doc["steps"]:
        lines.append("No step was started.")
    for step in doc["steps"]:
        adopted = " (adopted: done by an earlier attempt)" if step["adopted"] else ""
        message = f": {' '.join(step['message'].split())}" if step["message"] else ""
        lines.append(f"- **{step['id']}** ({step['kind']}): {step['outcome']}{adopted}{message}")
        for answer in step["answers"]:
            lines.append(f"  - {' '.join(answer['question'].split())} → {answer['answer']}")
        for note in step["notes"]:
            lines.append(f"  - Note: {' '.join(note.split())}")

    lines += ["", "## Who was paged", ""]
    if not doc["paged"]:
        lines.append("Nobody was paged by this run.")
    for p in doc["paged"]:
        bits = [f"{p['action']} on {p['service'] or '?'}"]
        bits += [f"dedup key `{p['dedup_key']}`"] if p["dedup_key"] else []
        if p["incident_number"] or p["incident_url"]:
            bits.append(f"incident #{p['incident_number'] or '?'} {p['incident_url']}".rstrip())
        bits += [f"status {p['status']}"] if p["status"] else []
        bits += [f"on call: {', '.join(p['on_call'])}"] if p["on_call"] else []
        at = p["at"] or {"utc": "?", "local": "?"}
        lines.append(f"- {at['utc']} ({at['local']}) {p['step']}: " + "; ".join(bits))
    if doc["paged"]:
        lines.append("")
        if doc["acknowledged"]:
            for a in doc["acknowledged"]:
                at = a["at"] or {"utc": "?", "local": "?"}
                lines.append(f"Acknowledged ({a['action']}) at {at['utc']} ({at['local']}) "
                             f"by step {a['step']}.")  # fmt: skip
        else:
            lines.append("No acknowledgement was journaled.")

    lines += ["", "## SLA outcomes", ""]
    if not doc["sla"]:
        lines.append("No SLA clocks were read.")
    for sla in doc["sla"]:
        head = f"- {sla['ticket'] or '?'}"
        head += f" (tier {sla['tier']}, {sla['priority']})" if sla["tier"] else ""
        lines.append(head + (f": untracked: {sla['untracked']}" if sla["untracked"] else ""))
        for c in sla["clocks"]:
            deadline = (
                f", deadline {c['deadline']['utc']} ({c['deadline']['local']})"
                if c["deadline"] else ""
            )  # fmt: skip
            lines.append(f"  - {c['metric']}: {c['state']}, remaining {c['remaining']}{deadline}")

    lines += ["", "## Jira", ""]
    if not doc["jira"]:
        lines.append("No Jira issue was touched.")
    for j in doc["jira"]:
        link = f"[{j['key']}]({j['url']})" if j["url"] else j["key"] or "?"
        status = f", status {j['status']}" if j["status"] else ""
        lines.append(f"- {link} ({j['action'] or '?'}, step {j['step']}{status})")

    lines += ["", "## Open follow-ups", ""]
    if not doc["followups"]:
        lines.append("None.")
    lines += [f"- [ ] {' '.join(f.split())}" for f in doc["followups"]]
    return "\n".join(lines) + "\n"


def html(doc: dict[str, Any]) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES, REVIEW_TEMPLATES]), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    return env.get_template("postmortem.html.j2").render(doc=doc)
