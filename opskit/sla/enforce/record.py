"""What enforce has done on a ticket, kept on the ticket (issue entity property).

`opskit.sla.enforced` holds, per metric: `raised` (the priority raise: `from`, `to`, and
`applied` once Jira took it; written *before* the priority changes, so a crash between the
two is completed by the next run, and a raise is made once per ticket and metric), `paged`
(the states a PagerDuty trigger was sent for), and `states` (per state, the actions done:
an audit trail; labels and comments are checked on the ticket itself).

Writes read the property again and merge into it, entry by entry, so two runs writing at
once lose nothing unless their read-merge-write pairs interleave within one round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROPERTY = "opskit.sla.enforced"
VERSION = 1


@dataclass(frozen=True, slots=True)
class Raise:
    """A priority raise enforce made on a ticket; `applied` once Jira took it."""

    from_priority: str  # opskit Priority names
    to_priority: str
    applied: bool = False


@dataclass(slots=True)
class MetricRecord:
    """What enforce has done on a ticket for one metric: raise, pages, actions by state."""

    raised: Raise | None = None
    paged: set[str] = field(default_factory=set)
    states: dict[str, set[str]] = field(default_factory=dict)


Record = dict[str, MetricRecord]  # by metric


def parse(raw: Any) -> Record:
    """A record from the property's value; anything unreadable counts as nothing done."""
    metrics = raw.get("metrics") if isinstance(raw, dict) else None
    out: Record = {}
    for metric, entry in (metrics or {}).items():
        if not isinstance(entry, dict):
            continue
        item = MetricRecord()
        raised = entry.get("raised")
        if isinstance(raised, dict) and isinstance(raised.get("from"), str):
            item.raised = Raise(
                raised["from"], str(raised.get("to")), raised.get("applied") is True
            )
        item.paged = {s for s in entry.get("paged", []) if isinstance(s, str)}
        states = entry.get("states")
        for state, done in states.items() if isinstance(states, dict) else []:
            item.states[state] = (
                {d for d in done if isinstance(d, str)} if isinstance(done, list) else set()
            )
        out[str(metric)] = item
    return out


def dump(record: Record) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    for metric, item in sorted(record.items()):
        entry: dict[str, Any] = {}
        if item.raised is not None:
            r = item.raised
            entry["raised"] = {"from": r.from_priority, "to": r.to_priority, "applied": r.applied}
        if item.paged:
            entry["paged"] = sorted(item.paged)
        if item.states:
            entry["states"] = {s: sorted(d) for s, d in sorted(item.states.items())}
        metrics[metric] = entry
    return {"version": VERSION, "metrics": metrics}


def merge(base: Record, extra: Record) -> Record:
    """Both records' entries; a raise already applied wins, else the base's stands."""
    out = {m: MetricRecord(i.raised, set(i.paged), {s: set(d) for s, d in i.states.items()})
           for m, i in base.items()}  # fmt: skip
    for metric, item in extra.items():
        into = out.setdefault(metric, MetricRecord())
        if item.raised is not None and (into.raised is None or item.raised.applied):
            into.raised = item.raised
        into.paged |= item.paged
        for state, done in item.states.items():
            into.states.setdefault(state, set()).update(done)
    return out
