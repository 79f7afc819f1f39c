"""Build the typed model from schema-valid documents, resolving every reference."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from opskit.policy import model as m
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import Document, PathKey
from opskit.policy.schemas import suggest
from opskit.policy.values import (
    WEEKDAYS,
    Duration,
    parse_date,
    parse_datetime,
    parse_duration,
    parse_time,
    parse_window,
    zone,
)

T = TypeVar("T")
V = TypeVar("V")
_LABELS = {
    "Calendar": "calendar", "Person": "person", "Team": "team", "Priority": "priority",
    "SlaTier": "SLA tier", "Customer": "customer", "Rotation": "rotation",
    "EscalationLadder": "escalation ladder", "Service": "service", "Playbook": "playbook",
    "PolicyTest": "policy test",
}  # fmt: skip


class Builder:
    def __init__(self, diagnostics: Diagnostics, known: Mapping[str, set[str]]) -> None:
        self.diagnostics, self.known, self.policy = diagnostics, known, m.Policy()

    def ref(
        self,
        table: Mapping[str, T],
        kind: str,
        name: str,
        source: m.Source,
        *path: PathKey,
    ) -> T | None:
        found = table.get(name)
        if found is None and name not in self.known.get(kind, ()):
            hint = suggest(name, self.known.get(kind, ()))
            owner = f"{source.data['kind']} {source.data['name']!r}"
            self.diagnostics.add(
                source.at(*path),
                "ref-unknown",
                f"{owner} refers to unknown {_LABELS[kind]} {name!r}{hint}",
            )
        return found

    def refs(
        self, table: Mapping[str, T], kind: str, names: list[str], source: m.Source, *path: PathKey
    ) -> list[T]:
        found = (self.ref(table, kind, n, source, *path, i) for i, n in enumerate(names))
        return [f for f in found if f is not None]

    def calendar(self, name: str, source: m.Source, *path: PathKey) -> m.Calendar | None:
        if name == m.ALWAYS_OPEN:
            return m.TWENTY_FOUR_SEVEN
        return self.ref(self.policy.calendars, "Calendar", name, source, *path)

    def value(
        self, parse: Callable[[str], V], rule: str, text: str, source: m.Source, *path: PathKey
    ) -> V | None:
        try:
            return parse(text)
        except ValueError as error:
            self.diagnostics.add(source.at(*path), rule, str(error))
            return None

    def duration(
        self, data: Mapping[str, Any], key: str, source: m.Source, *path: PathKey
    ) -> Duration | None:
        text = data.get(key)
        if text is None:
            return None
        return self.value(parse_duration, "duration-invalid", text, source, *path, key)

    def timezone(self, text: str, source: m.Source, *path: PathKey) -> bool:
        return self.value(zone, "timezone-invalid", text, source, *path) is not None


def build(
    documents: Iterable[tuple[str, Document]],
    diagnostics: Diagnostics,
    also_known: Iterable[tuple[str, Document]] = (),
) -> m.Policy:
    """Turn (kind, document) pairs that passed their schema into the model.

    `also_known` names documents that exist but are not built (they failed their
    schema): references to them are not reported again.
    """
    by_kind: dict[str, list[m.Source]] = {kind: [] for kind in _LABELS}
    for kind, document in documents:
        by_kind[kind].append(m.Source(document))
    known = {kind: {s.data["name"] for s in sources} for kind, sources in by_kind.items()}
    for kind, document in also_known:
        known[kind].add(document.data["name"])
    builder = Builder(diagnostics, known)
    for kind, make in _STEPS:
        table: dict[str, Any] = getattr(builder.policy, _TABLES[kind])
        for source in by_kind[kind]:
            built = make(builder, source)
            if built is not None:
                table[built.name] = built
    return builder.policy


def _calendar(b: Builder, s: m.Source) -> m.Calendar | None:
    d = s.data
    b.timezone(d["timezone"], s, "timezone")
    hours: dict[int, list[tuple[int, int]]] = {}
    for day, windows in d["working_hours"].items():
        parsed = (
            b.value(parse_window, "time-invalid", w, s, "working_hours", day, i)
            for i, w in enumerate(windows)
        )
        hours[WEEKDAYS.index(day)] = sorted(w for w in parsed if w is not None)
    holidays = d.get("holidays", {})
    extra = {}
    for i, item in enumerate(holidays.get("extra", [])):
        day = b.value(parse_date, "date-invalid", item["date"], s, "holidays", "extra", i, "date")
        if day is not None:
            extra[day] = item.get("name", "holiday")
    worked = (
        b.value(parse_date, "date-invalid", t, s, "holidays", "exclude", i)
        for i, t in enumerate(holidays.get("exclude", []))
    )
    return m.Calendar(
        d["name"], d["timezone"], hours, holidays.get("country"), holidays.get("subdivision"),
        extra, frozenset(w for w in worked if w is not None), s,
    )  # fmt: skip


def _person(b: Builder, s: m.Source) -> m.Person:
    d = s.data
    b.timezone(d["timezone"], s, "timezone")
    return m.Person(
        d["name"], d["email"], d["timezone"], d.get("full_name", d["name"]), d.get("role"), s
    )


def _team(b: Builder, s: m.Source) -> m.Team:
    d, people = s.data, b.policy.people
    members = b.refs(people, "Person", d["members"], s, "members")
    leads = b.refs(people, "Person", d.get("leads", []), s, "leads")
    return m.Team(d["name"], members, leads, d.get("jira_components", []), s)


def _priority(b: Builder, s: m.Source) -> m.Priority:
    d = s.data
    return m.Priority(
        d["name"], d["level"], d["title"], d["urgency"], d.get("examples", []), d.get("color"),
        d.get("jira_name", d["name"]), d.get("description", ""), s,
    )  # fmt: skip


def _tier(b: Builder, s: m.Source) -> m.SlaTier | None:
    d = s.data
    calendar = b.calendar(d["calendar"], s, "calendar")
    targets: dict[str, m.Targets] = {}
    for name, spec in d["targets"].items():
        b.ref(b.policy.priorities, "Priority", name, s, "targets", name)
        first = b.duration(spec, "first_response", s, "targets", name)
        resolution = b.duration(spec, "resolution", s, "targets", name)
        update = b.duration(spec, "next_update", s, "targets", name)
        if first is not None and resolution is not None:
            targets[name] = m.Targets(first, resolution, update)
    if calendar is None:
        return None
    return m.SlaTier(
        d["name"], calendar, targets, d.get("at_risk_percent", 75), d.get("pause_statuses", []),
        d.get("retired", False), d.get("description", ""), s,
    )  # fmt: skip


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


def _rotation(b: Builder, s: m.Source) -> m.Rotation | None:
    d, people = s.data, b.policy.people
    valid_zone = b.timezone(d["timezone"], s, "timezone")
    start = b.value(parse_date, "date-invalid", d["start"], s, "start")
    dropped = False  # a restriction that could not be read makes coverage unknowable
    team = b.ref(b.policy.teams, "Team", d["team"], s, "team") if "team" in d else None
    layers = []
    for i, spec in enumerate(d["layers"]):
        shift = b.duration(spec, "shift", s, "layers", i)
        handoff = b.value(
            parse_time, "time-invalid", spec.get("handoff", "09:00"), s, "layers", i, "handoff"
        )
        found = [
            _restriction(b, s, r, "layers", i, "restrictions", j)
            for j, r in enumerate(spec.get("restrictions", []))
        ]
        members = b.refs(people, "Person", spec["members"], s, "layers", i, "members")
        dropped |= any(r is None for r in found)
        if shift is not None and handoff is not None:
            restrictions = [r for r in found if r is not None]
            layers.append(
                m.Layer(spec.get("name", f"layer-{i + 1}"), members, shift, handoff, restrictions)
            )
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
    return m.Rotation(
        d["name"], d["timezone"], start, layers, overrides, team, d.get("follow_the_sun", False),
        d.get("description", ""), s, complete,
    )  # fmt: skip


def _ladder(b: Builder, s: m.Source) -> m.EscalationLadder:
    d, p = s.data, b.policy
    team = b.ref(p.teams, "Team", d["team"], s, "team") if "team" in d else None
    steps, complete = [], True
    for i, spec in enumerate(d["steps"]):
        rotations: list[m.Rotation] = []
        people: list[m.Person] = []
        for j, target in enumerate(spec["notify"]):
            where = ("steps", i, "notify", j)
            if "rotation" in target:
                rotation = b.ref(p.rotations, "Rotation", target["rotation"], s, *where, "rotation")
                rotations += [rotation] if rotation else []
            else:
                person = b.ref(p.people, "Person", target["person"], s, *where, "person")
                people += [person] if person else []
        delay = b.duration(spec, "escalate_after", s, "steps", i)
        complete &= len(rotations) + len(people) == len(spec["notify"]) and delay is not None
        complete &= all(r.complete for r in rotations)
        steps.append(m.Step(rotations, people, delay or Duration(seconds=60)))
    description = d.get("description", "")
    return m.EscalationLadder(d["name"], steps, d.get("repeat", 0), team, description, s, complete)


def _service(b: Builder, s: m.Source) -> m.Service | None:
    d, p = s.data, b.policy
    team = b.ref(p.teams, "Team", d["team"], s, "team")
    ladder = b.ref(p.ladders, "EscalationLadder", d["ladder"], s, "ladder")
    tier = b.ref(p.tiers, "SlaTier", d["tier"], s, "tier")
    hours = b.calendar(d["support_hours"], s, "support_hours") if "support_hours" in d else None
    names = d.get("priorities")
    priorities = (
        b.refs(p.priorities, "Priority", names, s, "priorities")
        if names
        else list(p.priorities.values())
    )
    ack, auto = b.duration(d, "acknowledge_timeout", s), b.duration(d, "auto_resolve_timeout", s)
    if team is None or ladder is None or tier is None:
        return None
    return m.Service(
        d["name"], team, ladder, tier, hours or tier.calendar, priorities, d.get("jira_component", d["name"]),
        d.get("urgency", "high"), ack, auto, d.get("description", ""), s,
    )  # fmt: skip


def _customer(b: Builder, s: m.Source) -> m.Customer | None:
    d = s.data
    tier = b.ref(b.policy.tiers, "SlaTier", d["tier"], s, "tier")
    services = b.refs(b.policy.services, "Service", d.get("services", []), s, "services")
    contacts = [
        m.Contact(c["email"], c.get("name", ""), c.get("role", "")) for c in d.get("contacts", [])
    ]
    contract = d.get("contract", {})
    for key in ("start", "end"):
        if key in contract:
            b.value(parse_date, "date-invalid", contract[key], s, "contract", key)
    if tier is None:
        return None
    display = d.get("display_name", d["name"])
    return m.Customer(
        d["name"], display, tier, d.get("organization", display), contacts, contract,
        services or list(b.policy.services.values()), s,
    )  # fmt: skip


def _playbook(b: Builder, s: m.Source) -> m.Playbook:
    d = s.data
    services = b.refs(b.policy.services, "Service", d.get("services", []), s, "services")
    priorities = b.refs(b.policy.priorities, "Priority", d.get("priorities", []), s, "priorities")
    for i, step in enumerate(d["steps"]):
        if "timeout" in step:
            b.duration(step, "timeout", s, "steps", i)
        if "service" in step:
            b.ref(b.policy.services, "Service", step["service"], s, "steps", i, "service")
    return m.Playbook(d["name"], d.get("title", d["name"]), services, priorities, d["steps"], s)


def _policy_test(b: Builder, s: m.Source) -> m.PolicyTest | None:
    d, p, scenario = s.data, b.policy, s.data["scenario"]
    service = b.ref(p.services, "Service", scenario["service"], s, "scenario", "service")
    priority = b.ref(p.priorities, "Priority", scenario["priority"], s, "scenario", "priority")
    name = scenario.get("customer")
    customer = b.ref(p.customers, "Customer", name, s, "scenario", "customer") if name else None
    timezone = scenario.get("timezone", "UTC")
    valid_zone = b.timezone(timezone, s, "scenario", "timezone")
    at = b.value(parse_datetime, "date-invalid", scenario["at"], s, "scenario", "at")
    if "first_response_due" in d["expect"]:
        due = d["expect"]["first_response_due"]
        b.value(parse_datetime, "date-invalid", due, s, "expect", "first_response_due")
    for i, item in enumerate(d["expect"].get("paged", [])):
        b.duration(item, "after", s, "expect", "paged", i)
        b.refs(p.people, "Person", item["people"], s, "expect", "paged", i, "people")
    if (
        service is None
        or priority is None
        or at is None
        or not valid_zone
        or (name and not customer)
    ):
        return None
    return m.PolicyTest(
        d["name"], service, priority, customer, at.replace(tzinfo=zone(timezone)), timezone,
        d["expect"], d.get("description", ""), s,
    )  # fmt: skip


_STEPS: list[tuple[str, Callable[[Builder, m.Source], Any]]] = [
    ("Calendar", _calendar), ("Person", _person), ("Team", _team), ("Priority", _priority),
    ("SlaTier", _tier), ("Rotation", _rotation), ("EscalationLadder", _ladder),
    ("Service", _service), ("Customer", _customer), ("Playbook", _playbook),
    ("PolicyTest", _policy_test),
]  # fmt: skip
_TABLES = {
    "Calendar": "calendars", "Person": "people", "Team": "teams", "Priority": "priorities",
    "SlaTier": "tiers", "Rotation": "rotations", "EscalationLadder": "ladders",
    "Service": "services", "Customer": "customers", "Playbook": "playbooks",
    "PolicyTest": "tests",
}  # fmt: skip
