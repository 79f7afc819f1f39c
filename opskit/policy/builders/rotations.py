"""On-call rotations: layers of members taking shifts, narrowed by restrictions and
patched by overrides."""

from __future__ import annotations

from typing import Any

from opskit.policy import model as m
from opskit.policy.builders.base import Builder
from opskit.policy.loader import PathKey
from opskit.policy.values import (
    WEEKDAYS,
    Duration,
    parse_date,
    parse_datetime,
    parse_percent,
    parse_time,
    parse_window,
    zone,
)


def _restriction(
    b: Builder, s: m.Source, spec: dict[str, Any], *path: PathKey
) -> m.Restriction | None:
    days = tuple(WEEKDAYS.index(day) for day in spec.get("days", WEEKDAYS))
    calendar = b.calendar(spec["calendar"], s, *path, "calendar") if "calendar" in spec else None
    window = (
        b.value(parse_window, "time-invalid", spec["hours"], s, *path, "hours")
        if "hours" in spec
        else None
    )
    if ("hours" in spec and window is None) or ("calendar" in spec and calendar is None):
        return None  # reported already; the layer is incomplete
    if window is None and calendar is None:
        window = (0, 1440)  # only days: those whole days
    return m.Restriction(days, window, calendar)


def _roster_changes(
    b: Builder, s: m.Source, specs: list[dict[str, Any]], start: Any, layer: int
) -> list[m.RosterChange] | None:
    """Earlier member lists, oldest first; None when one cannot be read (reported)."""
    out: list[m.RosterChange] = []
    previous = start
    for j, spec in enumerate(specs):
        path = ("layers", layer, "roster_changes", j)
        at = b.value(parse_date, "date-invalid", spec["at"], s, *path, "at")
        before = b.refs(b.policy.people, "Person", spec["before"], s, *path, "before")
        if at is None or len(before) != len(spec["before"]):
            return None
        if previous is not None and at <= previous:
            b.diagnostics.add(
                s.at(*path, "at"),
                "roster-change-order",
                f"roster change at {at} must come after "
                + (f"the one at {previous}" if j else f"the rotation's start ({previous})"),
            )
            return None
        out.append(m.RosterChange(at, before, j))
        previous = at
    return out


# PagerDuty takes a layer's turn (rotation_turn_length_seconds) from one hour to 365 days
# and answers 400 to anything else: a plan must not promise what apply cannot write. The
# floor also keeps rendering bounded (at most 8,760 handoffs a layer a year).
SHIFT_SECONDS = (3_600, 365 * 86_400)


def _shift(b: Builder, spec: dict[str, Any], s: m.Source, i: int) -> Duration | None:
    shift = b.duration(spec, "shift", s, "layers", i)
    if shift is None:
        return None
    seconds = shift.calendar_seconds
    shortest, longest = SHIFT_SECONDS
    if shortest <= seconds <= longest:
        return shift
    bound = "shorter than 1h, the shortest" if seconds < shortest else "longer than 365d, the longest"
    b.diagnostics.add(
        s.at("layers", i, "shift"),
        "duration-invalid",
        f"{str(shift)!r} is {bound} turn a PagerDuty schedule layer takes",
    )
    return None


def build_rotation(b: Builder, s: m.Source) -> m.Rotation | None:
    d, people = s.data, b.policy.people
    valid_zone = b.timezone(d["timezone"], s, "timezone")
    start = b.value(parse_date, "date-invalid", d["start"], s, "start")
    dropped = False  # a restriction that could not be read makes coverage unknowable
    team = b.ref(b.policy.teams, "Team", d["team"], s, "team") if "team" in d else None
    layers = []
    for i, spec in enumerate(d["layers"]):
        shift = _shift(b, spec, s, i)
        handoff = b.value(
            parse_time, "time-invalid", spec.get("handoff", "09:00"), s, "layers", i, "handoff"
        )
        found = [
            _restriction(b, s, r, "layers", i, "restrictions", j)
            for j, r in enumerate(spec.get("restrictions", []))
        ]
        members = b.refs(people, "Person", spec["members"], s, "layers", i, "members")
        changes = _roster_changes(b, s, spec.get("roster_changes", []), start, i)
        dropped |= any(r is None for r in found) or changes is None
        if shift is not None and handoff is not None:
            restrictions = [r for r in found if r is not None]
            layers.append(
                m.Layer(
                    spec.get("name", f"layer-{i + 1}"), members, shift, handoff, restrictions,
                    changes or [],
                )
            )  # fmt: skip
    overrides = []
    for i, spec in enumerate(d.get("overrides", [])):
        person = b.ref(people, "Person", spec["person"], s, "overrides", i, "person")
        begin = b.value(parse_datetime, "date-invalid", spec["start"], s, "overrides", i, "start")
        end = b.value(parse_datetime, "date-invalid", spec["end"], s, "overrides", i, "end")
        if person and begin and end and valid_zone:
            tz = zone(d["timezone"])
            overrides.append(
                m.Override(
                    person,
                    begin.replace(tzinfo=tz),
                    end.replace(tzinfo=tz),
                    spec.get("reason", ""),
                    i,
                )
            )
    if start is None:
        return None
    complete = (
        valid_zone
        and not dropped
        and len(layers) == len(d["layers"])
        and all(
            len(layer.members) == len(spec["members"])
            for layer, spec in zip(layers, d["layers"], strict=False)
        )
    )
    shrinkage = (
        b.value(parse_percent, "percent-invalid", d["shrinkage"], s, "shrinkage")
        if "shrinkage" in d
        else 0.0
    )
    if shrinkage is not None and shrinkage >= 1:
        b.diagnostics.add(s.at("shrinkage"), "percent-invalid",
                          "shrinkage must be below 100%: someone must answer the tickets")  # fmt: skip
        shrinkage = None
    return m.Rotation(
        d["name"], d["timezone"], start, layers, overrides, team, d.get("follow_the_sun", False),
        d.get("description", ""), s, complete, shrinkage or 0.0, _limits(b, s),
    )  # fmt: skip


def _limits(b: Builder, s: m.Source) -> m.LoadLimits | None:
    spec = s.data.get("load_limits")
    if spec is None:
        return None
    share = spec.get("interrupted_percent")
    parsed = (
        b.value(parse_percent, "percent-invalid", share, s, "load_limits", "interrupted_percent")
        if share is not None
        else None
    )
    return m.LoadLimits(spec.get("pages_per_shift"), spec.get("night_pages_per_week"), parsed)
