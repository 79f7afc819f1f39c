"""The typed policy model: what validated documents mean, with references resolved.

Objects compare by identity; each keeps the document it came from so any check can
point at the line that made a promise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from opskit.policy.diagnostics import Position
from opskit.policy.loader import Document, PathKey
from opskit.policy.values import Duration

ALWAYS_OPEN = "24x7"


@dataclass(eq=False, slots=True)
class Source:
    """The document a policy object was built from, so messages can point at its lines."""

    document: Document

    def at(self, *path: PathKey, key: bool = False) -> Position:
        return self.document.at(path, key=key)

    @property
    def position(self) -> Position:
        return self.document.at(("name",))

    @property
    def data(self) -> Any:
        return self.document.data


@dataclass(eq=False, slots=True)
class Calendar:
    """Business hours and holidays in one time zone: what SLA clocks and support hours run on."""

    name: str
    timezone: str
    # weekday (0 = Monday) -> sorted (start, end) minutes after midnight
    working_hours: dict[int, list[tuple[int, int]]]
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    extra_holidays: dict[dt.date, str] = field(default_factory=dict)
    worked_holidays: frozenset[dt.date] = frozenset()
    source: Source | None = None

    @property
    def always_open(self) -> bool:
        return self.name == ALWAYS_OPEN


TWENTY_FOUR_SEVEN = Calendar(ALWAYS_OPEN, "UTC", {d: [(0, 1440)] for d in range(7)})


@dataclass(eq=False, slots=True)
class Person:
    """Someone who can be on call or lead a team, joined to PagerDuty and Jira by email."""

    name: str
    email: str
    timezone: str
    full_name: str
    role: str | None
    source: Source


@dataclass(eq=False, slots=True)
class Team:
    """A group of people that owns services, rotations, ladders and Jira components."""

    name: str
    members: list[Person]
    leads: list[Person]
    jira_components: list[str]
    source: Source


@dataclass(eq=False, slots=True)
class Priority:
    """A severity level and what qualifies for it: a Jira priority and a PagerDuty urgency."""

    name: str
    level: int
    title: str
    urgency: str
    examples: list[str]
    color: str | None
    jira_name: str
    description: str
    source: Source


@dataclass(frozen=True, slots=True)
class Targets:
    """A tier's times for one priority: first response, resolution, next update, and goal."""

    first_response: Duration
    resolution: Duration
    next_update: Duration | None = None
    attainment: float | None = None  # share (0..1) to answer within first_response


@dataclass(frozen=True, slots=True)
class EnforceComment:
    """The comment `opskit sla enforce` posts on a ticket, and whether the customer sees it."""

    text: str  # with {key}, {metric}, ... placeholders
    public: bool = False


@dataclass(frozen=True, slots=True)
class Enforcement:
    """What `opskit sla enforce` does for a clock in one state (at_risk or breached)."""

    comment: EnforceComment | None = None
    label: str | None = None
    raise_priority: bool = False
    notify_on_call: bool = False
    page: bool = False


# Each warning sign of a service review and its thresholds when a tier sets none.
SIGNAL_DEFAULTS: dict[str, dict[str, float]] = {
    "volume-drop": {"percent": 50, "min_baseline": 4},
    "volume-surge": {"percent": 100, "min_tickets": 4},
    "breaches-up": {"by": 2},
    "satisfaction-down": {"by": 0.5, "min_ratings": 2},
    "no-contact": {"weeks": 6},
    "usage-drop": {"percent": 30},
    "availability-missed": {},
}


@dataclass(frozen=True, slots=True)
class ReviewPolicy:
    """What a service review holds a tier's customers to: availability and warning signs."""

    availability_percent: float | None = None
    # signal name -> thresholds (defaults filled in); a signal switched off is absent
    signals: dict[str, dict[str, float]] = field(
        default_factory=lambda: {k: dict(v) for k, v in SIGNAL_DEFAULTS.items()}
    )


@dataclass(frozen=True, slots=True)
class TierCapacity:
    """Who answers a tier's tickets (rotation names: rotations are built after tiers)."""

    desk: tuple[str, ...]
    handle_time: Duration | None = None
    attainment: float | None = None  # the goal of priorities that set none


@dataclass(eq=False, slots=True)
class SlaTier:
    """What a tier of customers is promised: targets per priority on a calendar's clock."""

    name: str
    calendar: Calendar
    targets: dict[str, Targets]  # by Priority name
    at_risk_percent: int
    pause_statuses: list[str]
    retired: bool
    description: str
    source: Source
    first_response_statuses: list[str] = field(default_factory=list)
    priority_change: str = "retarget"  # or "restart"
    enforce: dict[str, Enforcement] = field(default_factory=dict)  # by state
    review: ReviewPolicy = field(default_factory=ReviewPolicy)
    capacity: TierCapacity | None = None

    def attainment(self, priority: str) -> float | None:
        """The first-response attainment goal of a priority, if the tier sets one."""
        own = self.targets[priority].attainment if priority in self.targets else None
        return own if own is not None else (self.capacity.attainment if self.capacity else None)


@dataclass(eq=False, slots=True)
class Restriction:
    """Active during `windows` on `days` (0 = Monday), or during a calendar's hours."""

    days: tuple[int, ...] = tuple(range(7))
    window: tuple[int, int] | None = None
    calendar: Calendar | None = None


@dataclass(eq=False, slots=True)
class RosterChange:
    """Until the layer's first handoff on or after `at`, `before` took the turns."""

    at: dt.date
    before: list[Person]
    index: int  # position in the layer's roster_changes


@dataclass(eq=False, slots=True)
class Layer:
    """A layer of a rotation: its members taking turns of one shift, within restrictions."""

    name: str
    members: list[Person]
    shift: Duration
    handoff: int  # minutes after local midnight
    restrictions: list[Restriction]
    roster_changes: list[RosterChange] = field(default_factory=list)  # oldest first


@dataclass(eq=False, slots=True)
class Override:
    """A declared swap in a rotation: someone on call from `start` to `end`, and why."""

    person: Person
    start: dt.datetime  # aware, in the rotation's zone
    end: dt.datetime
    reason: str
    index: int  # position in the rotation's overrides list


@dataclass(frozen=True, slots=True)
class LoadLimits:
    """How much paging one person on a rotation may take."""

    pages_per_shift: int | None = None
    night_pages_per_week: int | None = None
    interrupted_share: float | None = None  # of their on-call time


@dataclass(eq=False, slots=True)
class Rotation:
    """An on-call rotation: layers of people handing off on a cadence (a PagerDuty schedule)."""

    name: str
    timezone: str
    start: dt.date
    layers: list[Layer]
    overrides: list[Override]
    team: Team | None
    follow_the_sun: bool
    description: str
    source: Source
    complete: bool = True  # False when a layer or member could not be built
    shrinkage: float = 0.0  # share of rostered time not spent answering tickets
    load_limits: LoadLimits | None = None

    @property
    def people(self) -> list[Person]:
        return _unique(p for layer in self.layers for p in layer.members)


@dataclass(eq=False, slots=True)
class Step:
    """One step of an escalation ladder: who it pages, and how long until it escalates."""

    rotations: list[Rotation]
    people: list[Person]
    escalate_after: Duration

    @property
    def target_count(self) -> int:
        return len(self.rotations) + len(self.people)

    def reachable(self) -> list[Person]:
        return _unique([*self.people, *(p for r in self.rotations for p in r.people)])


@dataclass(eq=False, slots=True)
class EscalationLadder:
    """Who is paged, in order, until someone acknowledges (a PagerDuty escalation policy)."""

    name: str
    steps: list[Step]
    repeat: int
    team: Team | None
    description: str
    source: Source
    complete: bool = True  # False when a target could not be built: deliverability is unknown
    _reachable: list[Person] | None = field(default=None, init=False, repr=False)

    def reachable(self) -> list[Person]:
        """Everyone some step can page. Asked by several rules a ladder; the model is not
        changed once built, so worked out once."""
        if self._reachable is None:
            self._reachable = _unique(p for step in self.steps for p in step.reachable())
        return list(self._reachable)


@dataclass(eq=False, slots=True)
class Service:
    """Something customers depend on; it becomes a PagerDuty service and a Jira component."""

    name: str
    team: Team
    ladder: EscalationLadder
    tier: SlaTier
    support_hours: Calendar
    priorities: list[Priority]
    jira_component: str
    urgency: str
    acknowledge_timeout: Duration | None
    auto_resolve_timeout: Duration | None
    description: str
    source: Source


@dataclass(eq=False, slots=True)
class Contact:
    """Someone at a customer who raises requests."""

    email: str
    name: str
    role: str


@dataclass(eq=False, slots=True)
class Customer:
    """A customer with its tier, services and contacts (a JSM organisation)."""

    name: str
    display_name: str
    tier: SlaTier
    organization: str
    contacts: list[Contact]
    contract: dict[str, str]
    services: list[Service]
    source: Source


@dataclass(eq=False, slots=True)
class Playbook:
    """Steps stay as written (dicts, templates unrendered); `inputs` by name: {description,
    required, kind, default}; `requires`: programs its run steps need beyond PATH."""

    name: str
    title: str
    services: list[Service]
    priorities: list[Priority]
    steps: list[dict[str, Any]]
    source: Source
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    requires: list[str] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class PolicyTest:
    """A simulated incident and what must happen; `expect` stays as written (checked by `opskit test`)."""

    name: str
    service: Service
    priority: Priority
    customer: Customer | None
    at: dt.datetime  # aware, in `timezone`
    timezone: str
    expect: dict[str, Any]
    description: str
    source: Source


@dataclass(slots=True)
class Policy:
    """Every object of a policy set, by kind and name."""

    calendars: dict[str, Calendar] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    priorities: dict[str, Priority] = field(default_factory=dict)
    tiers: dict[str, SlaTier] = field(default_factory=dict)
    rotations: dict[str, Rotation] = field(default_factory=dict)
    ladders: dict[str, EscalationLadder] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    playbooks: dict[str, Playbook] = field(default_factory=dict)
    tests: dict[str, PolicyTest] = field(default_factory=dict)
    _by_ladder: dict[int, list[Service]] | None = field(default=None, repr=False, compare=False)

    def count(self) -> int:
        return sum(len(table) for table in vars_of(self).values())

    def services_of(self, ladder: EscalationLadder) -> list[Service]:
        return self._services_by_ladder().get(id(ladder), [])

    def _services_by_ladder(self) -> dict[int, list[Service]]:
        if self._by_ladder is None:  # built once the model is complete
            self._by_ladder = {}
            for service in self.services.values():
                self._by_ladder.setdefault(id(service.ladder), []).append(service)
        return self._by_ladder


def vars_of(policy: Policy) -> dict[str, dict[str, Any]]:
    """The tables of objects by kind, without the indexes."""
    return {
        name: getattr(policy, name)
        for name in policy.__dataclass_fields__
        if not name.startswith("_")
    }


def _unique(people: Any) -> list[Person]:
    seen: dict[int, Person] = {}
    for person in people:
        seen.setdefault(id(person), person)
    return list(seen.values())
