"""Terminal output of the on-call commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opskit.oncall.timeline import local
from opskit.time import zones

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table


def _at(text: str | None, timezone: str) -> str:
    if text is None:
        return "-"
    return local(zones.from_datetime(_parse(text)), timezone)


def _parse(text: str) -> Any:
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def who_text(answer: dict[str, Any], timezone: str) -> str:
    lines = [f"On call at {_at(answer['at'], timezone)} {timezone}"]
    for r in answer["rotations"]:
        if r["person"] is None:
            now = "nobody"
        else:
            layer = "" if str(r["layer"]).startswith("layer-") else f" ({r['layer']})"
            now = f"{r['person']}{layer} until {_at(r['until'], timezone)}"
        upcoming = (
            f"; next {r['next']['person']} at {_at(r['next']['at'], timezone)}" if r["next"] else ""
        )
        lines.append(f"  {r['rotation']}: {now}{upcoming}")
    for ladder in answer["ladders"]:
        services = ", ".join(ladder["services"]) or "no service"
        lines.append(f"\nladder {ladder['ladder']} ({services}):")
        for page in ladder["pages"]:
            who = ", ".join(page["people"]) or "nobody"
            empty = f" (nobody on {', '.join(page['unstaffed'])})" if page["unstaffed"] else ""
            again = f" repeat {page['loop']}" if page["loop"] else ""
            lines.append(
                f"  +{page['after_minutes']:>4}m  step {page['step']}{again}: {who}{empty}"
            )
    return "\n".join(lines)


def show_table(rows: list[dict[str, Any]], timezone: str, lo: int, hi: int) -> Table:
    from rich.table import Table

    table = Table(title=f"On call {local(lo, timezone)} – {local(hi, timezone)} {timezone}")
    for column in ("rotation", "layer", "person", "from", "to", "hours"):
        table.add_column(column, justify="right" if column == "hours" else "left")
    previous = None
    for row in sorted(rows, key=lambda r: (r["rotation"], r["_start"])):
        name = row["rotation"] if row["rotation"] != previous else ""
        previous = row["rotation"]
        table.add_row(name, row["layer"], row["person"], local(row["_start"], timezone),
                      local(row["_end"], timezone), f"{row['hours']:g}")  # fmt: skip
    return table


def gaps_text(found: dict[str, Any], timezone: str) -> str:
    lines = [f"Gaps {_at(found['from'], timezone)} – {_at(found['to'], timezone)} {timezone}"]
    lines.append("\nServices (promised hours not covered by step 1 of the ladder):")
    for s in found["services"]:
        state = f"{s['hours']:g}h uncovered" if s["gaps"] else "covered"
        hours_of = s["hours_of"] if s["hours_of"] == "24x7" else f"{s['hours_of']} hours"
        lines.append(f"  {s['service']} ({hours_of}, ladder {s['ladder']}): {state}")
        lines += [
            f"    {_at(g['start'], timezone)} – {_at(g['end'], timezone)}  {g['why']}"
            for g in s["gaps"][:20]
        ]
        if len(s["gaps"]) > 20:
            lines.append(f"    ... and {len(s['gaps']) - 20} more")
    lines.append("\nRotations (time with nobody on call; restricted layers leave gaps by design):")
    for r in found["rotations"]:
        lines.append(f"  {r['rotation']}: {r['hours']:g}h in {len(r['gaps'])} gap(s)")
    return "\n".join(lines)


def fairness_table(found: dict[str, Any], lo: int, hi: int) -> list[RenderableType]:
    from rich.table import Table

    table = Table(title=f"On-call load {local(lo, 'UTC')} – {local(hi, 'UTC')} UTC")
    columns = (
        "person",
        "timezone",
        "hours",
        "night_hours",
        "weekend_hours",
        "holiday_hours",
        "shifts",
    )
    for column in columns:
        table.add_column(
            column.replace("_", " "), justify="left" if column in columns[:2] else "right"
        )
    for p in found["people"]:
        table.add_row(*(str(p[c]) if isinstance(p[c], str) else f"{p[c]:g}" for c in columns))
    spread = f"spread between most and least loaded: {found['spread_hours']:g}h"
    return [table, spread, *(f"[yellow]warning:[/yellow] {w}" for w in found["warnings"])]
