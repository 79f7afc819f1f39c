"""Text views of the sla commands, drawn with rich through the project's console."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.table import Table

from opskit.cli.console import console
from opskit.sla.engine import Untracked
from opskit.sla.report import Row, wall_seconds
from opskit.sla.text import span, wall

STYLE = {"breached": "bold red", "at_risk": "yellow", "paused": "cyan", "running": "green",
         "met": "green"}  # fmt: skip


METRIC_LABEL = {"first_response": "response", "next_update": "update", "resolution": "resolution"}


def _cells(row: Row, now: dt.datetime) -> dict[str, str]:
    t, c = row.ticket, row.clock
    due_in, stamp = _deadline(row, now)
    return {"ticket": t.key, "customer": t.customer or "-",
            "tier": f"{t.tier} {c.priority or t.priority}", "metric": METRIC_LABEL[c.metric.value],
            "state": c.state.value, "left": span(c.remaining), "wall": due_in, "deadline": stamp}  # fmt: skip


def _deadline(row: Row, now: dt.datetime) -> tuple[str, str]:
    seconds = wall_seconds(row.clock, now)
    if row.clock.deadline is None or seconds is None:
        return "paused", "-"
    stamp = row.clock.deadline.strftime("%m-%d %H:%M")
    return (f"in {wall(seconds)}" if seconds >= 0 else f"{wall(-seconds)} ago"), stamp


SHORTEST_CUSTOMER = 8


def _fit(names: list[str], widths: dict[str, int], rows: list[dict[str, str]], room: int) -> None:
    """Narrow the table to the console (an 80-column pipe, say): drop the deadline, then
    shorten customers' names, then drop them."""
    if sum(widths[n] + 2 for n in names) > room:
        names.remove("deadline")
    spare = room - sum(widths[n] + 2 for n in names if n != "customer") - 2
    if spare >= widths["customer"]:
        return
    if spare < SHORTEST_CUSTOMER:
        names.remove("customer")
        return
    widths["customer"] = spare
    for row in rows:
        if len(row["customer"]) > spare:
            row["customer"] = row["customer"][: spare - 1] + "…"


def status_text(found: list[Row], untracked: list[Untracked], now: dt.datetime) -> None:
    out = console()
    if found:
        rows = [_cells(row, now) for row in found]
        names = ["ticket", "customer", "tier", "metric", "state", "left", "wall", "deadline"]
        widths = {n: max(len(n), *(len(r[n]) for r in rows)) for n in names}
        _fit(names, widths, rows, out.width)
        table = Table(title=f"SLA clocks at {now:%Y-%m-%d %H:%M} UTC", title_justify="left",
                      box=None, pad_edge=False, padding=(0, 1))  # fmt: skip
        for name in names:
            table.add_column(name, no_wrap=True, min_width=widths[name])
        for cells, row in zip(rows, found, strict=True):
            state = row.clock.state.value
            table.add_row(*(f"[{STYLE[state]}]{state}[/]" if n == "state" else cells[n]
                            for n in names))  # fmt: skip
        out.print(table)
        out.print("left: business time on the tier's calendar; wall: real time to the deadline"
                  + (" (UTC)" if "deadline" in names else ""), highlight=False)  # fmt: skip
    else:
        out.print("No open SLA clocks.")
    states = [r.clock.state.value for r in found]
    summary = (f"{len(found)} open clock(s): {states.count('breached')} breached, "
               f"{states.count('at_risk')} at risk")  # fmt: skip
    if untracked:
        summary += (
            f"; {len(untracked)} untracked ticket(s) (no tier applies: see `opskit sla show KEY`)"
        )
    out.print(summary, highlight=False)


def show_text(doc: dict[str, Any]) -> None:
    out = console()
    head = doc["ticket"]
    out.print(f"[bold]{head['ticket']}[/] {head['summary']}  ({head['status']})", highlight=False)
    if "untracked" in doc:
        out.print(f"untracked: {doc['untracked']}", highlight=False)
        return
    out.print(f"{head['tier']} tier ({head['tier_source']}), {head['priority']}, calendar "
              f"{head['calendar']} ({head['timezone']}); now {doc['now']}", highlight=False)  # fmt: skip
    for change in doc["priority_changes"]:
        out.print(f"priority {change['old']} -> {change['new']} at {change['at']} "
                  f"({change['mode']}): {change['effect']}", highlight=False)  # fmt: skip
    for clock in doc["clocks"]:
        _clock(out, clock)


def _clock(out: Any, clock: dict[str, Any]) -> None:
    state = clock["state"]
    out.print(f"\n[bold]{clock['metric'].replace('_', ' ')}[/] [{STYLE[state]}]{state}[/] "
              f"({clock['priority']} target {clock['target']}): {clock['why']}", highlight=False)  # fmt: skip
    deadline = clock["deadline"] or "none while paused"
    local = f" = {clock['deadline_local']}" if clock["deadline_local"] else ""
    out.print(f"  deadline {deadline}{local}; {span(clock['elapsed_seconds'])} used, "
              f"{span(clock['remaining_seconds'])} left", highlight=False)  # fmt: skip
    for earlier in clock["earlier"]:
        out.print(f"  earlier: {earlier['start']} .. {earlier['stop']} {earlier['state']}: "
                  f"{earlier['why']}", highlight=False)  # fmt: skip
    events = [(s["start"], f"{s['kind']}{' (' + s['reason'] + ')' if s['reason'] else ''}",
               s["end"]) for s in clock["segments"]]  # fmt: skip
    events += [(p["start"], f"closed: {p['reason']}", p["end"]) for p in clock["closed_periods"]]
    for start, what, end in sorted(events, key=lambda e: e[0]):
        out.print(f"  {start} .. {end or 'now'}  {what}", highlight=False)
    if clock["closed_truncated"]:
        out.print("  (more closed periods not shown)")
