"""Shifts over a window as rows, for the terminal, JSON and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from opskit.oncall.schedule import Schedules
from opskit.policy.model import Rotation
from opskit.time import zones

COLUMNS = ("rotation", "layer", "person", "start", "end", "hours")


def local(t: int, timezone: str) -> str:
    zone = zones.get(timezone)
    return zones.to_datetime(zone.wall(t)).strftime("%a %Y-%m-%d %H:%M")


def rows(schedules: Schedules, rotations: list[Rotation]) -> list[dict[str, Any]]:
    out = []
    for rotation in rotations:
        for shift in schedules.shifts(rotation):
            out.append(
                {
                    "rotation": rotation.name,
                    "layer": shift.layer,
                    "person": shift.person,
                    "start": zones.to_datetime(shift.start).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "end": zones.to_datetime(shift.end).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "hours": round((shift.end - shift.start) / 3600, 2),
                    "_start": shift.start,
                    "_end": shift.end,
                }
            )
    return out


def public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in COLUMNS}


def as_csv(found: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(public(r) for r in found)
    return buffer.getvalue()
