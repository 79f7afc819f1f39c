"""The postmortem in Markdown: for the incident ticket, a pull request or a wiki."""

from __future__ import annotations

from typing import Any


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or " "


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def when(stamp: dict[str, str] | None) -> str:
    if not stamp:
        return "?"
    return f"{stamp['utc']} ({stamp['local']})" if stamp["local"] else stamp["utc"]


def markdown(doc: dict[str, Any]) -> str:
    lines = _summary(doc) + _timeline(doc) + _done(doc) + _paged(doc)
    lines += _sla(doc) + _jira(doc) + _followups(doc)
    return "\n".join(lines) + "\n"


def _summary(doc: dict[str, Any]) -> list[str]:
    s = doc["summary"]
    lines = [f"# Postmortem: {s['title'] or s['playbook']}", ""]
    lines += [
        f"- Run: `{s['run']}`",
        f"- Playbook: {s['playbook']}" + (f" ({s['title']})" if s["title"] else ""),
        "- Inputs: " + (", ".join(f"{k}={v}" for k, v in s["inputs"].items()) or "none"),
        f"- Run by: {s['user']}",
    ]
    lines += [f"- {label.capitalize()}: {when(s[label])}" for label in ("started", "ended") if s[label]]
    lines += [f"- Duration: {s['duration']}", f"- Final state: {s['state']}"]
    lines += [f"- Times: UTC and {s['zone']}" if s["two_zones"] else "- Times: UTC"]
    lines += [f"- Note: {_one_line(n)}" for n in s["notes"]]
    return [*lines, ""]


def _timeline(doc: dict[str, Any]) -> list[str]:
    s = doc["summary"]
    zone = f" {s['zone']} |" if s["two_zones"] else ""
    lines = ["## Timeline", "", f"| # | UTC |{zone} Event | Step | Detail |",
             "|---|---|" + ("---|" if s["two_zones"] else "") + "---|---|---|"]  # fmt: skip
    for e in doc["timeline"]:
        local = f" {e['local']} |" if s["two_zones"] else ""
        lines.append(f"| {e['seq']} | {e['utc']} |{local} {e['event']} | {_cell(e['step'])} "
                     f"| {_cell(e['detail'])} |")  # fmt: skip
    return [*lines, ""]


def _done(doc: dict[str, Any]) -> list[str]:
    lines = ["## What was done", ""]
    if not doc["steps"]:
        lines.append("No step was started.")
    for step in doc["steps"]:
        adopted = " (adopted: done by an earlier attempt)" if step["adopted"] else ""
        message = f": {_one_line(step['message'])}" if step["message"] else ""
        lines.append(f"- **{step['id']}** ({step['kind']}): {step['outcome']}{adopted}{message}")
        lines += [f"  - {_one_line(a['question'])} → {a['answer']}" for a in step["answers"]]
        lines += [f"  - Note: {_one_line(note)}" for note in step["notes"]]
    return [*lines, ""]


def _paged(doc: dict[str, Any]) -> list[str]:
    lines = ["## Who was paged", ""]
    if not doc["paged"]:
        return [*lines, "Nobody was paged by this run.", ""]
    for p in doc["paged"]:
        bits = [f"{p['action']} on {p['service'] or '?'}"]
        if p["incident_number"] or p["incident_url"]:
            bits.append(f"incident #{p['incident_number'] or '?'} {p['incident_url']}".rstrip())
        bits += [f"dedup key `{p['dedup_key']}`"] if p["dedup_key"] else []
        bits += [f"status then {p['status']}"] if p["status"] else []
        bits += [f"on call: {', '.join(p['on_call'])}"] if p["on_call"] else []
        lines.append(f"- {when(p['at'])} {p['step']}: " + "; ".join(bits))
        for r in p["responses"]:
            after = f" ({r['after']} after the page)" if r["after"] else ""
            lines.append(f"  - {when(r['at'])} {r['what']}: {r['who']}{after}")
    lines.append("")
    for a in doc["acknowledged"]:
        incident = f"#{a['incident_number']}" if a["incident_number"] else f"of {a['step']}"
        if a["who"]:
            lines.append(f"Incident {incident} ({a['service']}) was acknowledged by {a['who']} "
                         f"at {when(a['at'])}, {a['after'] or '0s'} after the page.")  # fmt: skip
        else:
            resolved = f" (resolved by {a['resolved_by']})" if a["resolved_by"] else ""
            lines.append(f"Incident {incident} ({a['service']}) was never acknowledged{resolved}.")
    if not doc["pagerduty_read"]:
        why = "see the notes above" if doc["summary"]["notes"] else "written --offline"
        lines.append(f"Acknowledgements were not read from PagerDuty ({why}).")
    return [*lines, ""]


def _sla(doc: dict[str, Any]) -> list[str]:
    lines = ["## SLA outcomes", ""]
    if not doc["sla"]:
        lines.append("No linked ticket's SLA clocks were read.")
    for sla in doc["sla"]:
        head = f"- {sla['ticket'] or '?'}"
        head += f" (tier {sla['tier']}, {sla['priority']})" if sla["tier"] else ""
        head += f", {sla['when']}"
        lines.append(head + (f": untracked: {sla['untracked']}" if sla["untracked"] else ""))
        for c in sla["clocks"]:
            deadline = f", deadline {when(c['deadline'])}" if c["deadline"] else ""
            lines.append(f"  - {c['metric']}: {c['state']}, remaining {c['remaining']}{deadline}")
    return [*lines, ""]


def _jira(doc: dict[str, Any]) -> list[str]:
    lines = ["## Jira", ""]
    if not doc["jira"]:
        lines.append("No Jira issue was touched.")
    for j in doc["jira"]:
        link = f"[{j['key']}]({j['url']})" if j["url"] else j["key"]
        status = f"; status {j['status']}" if j["status"] else ""
        lines.append(f"- {link}: {', '.join(j['actions'])}{status}")
    return [*lines, ""]


def _followups(doc: dict[str, Any]) -> list[str]:
    lines = ["## Open follow-ups", ""]
    if not doc["followups"]:
        lines.append("None.")
    return lines + [f"- [ ] {_one_line(f)}" for f in doc["followups"]]
