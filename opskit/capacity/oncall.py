"""On-call load against the rotations' limits: who paging reached, and what it left them.

The shifts are the policies' (``opskit.oncall.render``: the rotations as PagerDuty would
run them, holidays and overrides included), the pages PagerDuty's (``pages.read_pages``),
matched to people by email. Everyone with a shift on the chosen rotations or a page counts;
a page to someone the policies do not know is counted apart (``strangers``).

A person on several rotations is held to the strictest limit of each kind among them, and
a limit broken is reported at the ``load_limits`` line of the rotation that set it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from opskit.capacity.load import Breach, PersonLoad, load
from opskit.capacity.load_checks import Limits
from opskit.capacity.pages import Page
from opskit.oncall.render import render
from opskit.policy.diagnostics import Position
from opskit.policy.model import Person, Policy, Rotation
from opskit.time.zones import from_datetime

RULE = "load-limit"


@dataclass(frozen=True, slots=True)
class Broken:
    """A load limit someone broke, at the rotation whose load_limits set it."""

    where: Position  # the rotation's load_limits line for the limit
    rotation: str
    breach: Breach


@dataclass(frozen=True, slots=True)
class PersonReport:
    """Someone on the chosen rotations: the strictest limits they are held to, and their load."""

    person: Person
    rotations: tuple[str, ...]  # the chosen rotations they are on, policy order
    limits: Limits
    load: PersonLoad
    broken: tuple[Broken, ...]


@dataclass(frozen=True, slots=True)
class OncallReport:
    """Who paging reached on the chosen rotations over a window, and the limits it broke."""

    since: dt.datetime
    until: dt.datetime
    rotations: tuple[str, ...]
    pages: int  # created in the window
    nobody: int  # of those, taken by nobody
    strangers: int  # taken by someone the policies do not know
    people: tuple[PersonReport, ...]
    night: tuple[int, int]  # the hours a night page starts in, on the person's clock

    def broken(self) -> list[tuple[PersonReport, Broken]]:
        return [(p, b) for p in self.people for b in p.broken]


def _strictest(rotations: Sequence[Rotation]) -> tuple[Limits, dict[str, Rotation]]:
    """The lowest limit of each kind among the rotations, and the rotation each came from."""
    chosen: dict[str, tuple[float, Rotation]] = {}
    for rotation in rotations:
        own = rotation.load_limits
        if own is None:
            continue
        values = {"pages_per_shift": own.pages_per_shift,
                  "night_pages_per_week": own.night_pages_per_week,
                  "interrupted_percent": own.interrupted_share}  # fmt: skip
        for name, value in values.items():
            if value is not None and (name not in chosen or value < chosen[name][0]):
                chosen[name] = (value, rotation)
    limits = Limits(**{name: value for name, (value, _) in chosen.items()})  # type: ignore[arg-type]
    return limits, {name: rotation for name, (_, rotation) in chosen.items()}


def _at(rotation: Rotation, limit: str) -> Position:
    """Where the rotation sets the limit (Limits' fields are named as the policy's keys)."""
    return rotation.source.at("load_limits", limit)


def assess(policy: Policy, pages: Iterable[Page], since: dt.datetime, until: dt.datetime,
           names: Sequence[str] = (), night: tuple[int, int] = (22, 7)) -> OncallReport:  # fmt: skip
    """The load of everyone on the rotations `names` (all when empty) over [since, until).

    ValueError for an unknown rotation name or a bad window (see ``load.load``)."""
    unknown = [n for n in names if n not in policy.rotations]
    if unknown:
        raise ValueError(f"no rotation named {unknown[0]!r}")
    chosen = [policy.rotations[n] for n in names] if names else list(policy.rotations.values())
    lo, hi = from_datetime(since), from_datetime(until)
    by_email = {p.email.lower(): p for p in policy.people.values()}
    shifts: dict[str, list[tuple[int, int]]] = {}
    on: dict[str, list[Rotation]] = {}
    for rotation in chosen:
        for person in rotation.people:
            on.setdefault(person.email.lower(), []).append(rotation)
        for shift in render(rotation, lo, hi):
            email = policy.people[shift.person].email.lower()
            shifts.setdefault(email, []).append((shift.start, shift.end))
    window = [p for p in pages if since <= p.start < until]
    theirs: dict[str, list[Page]] = {}
    for page in window:
        if page.person.lower() in by_email:
            theirs.setdefault(page.person.lower(), []).append(page)
            on.setdefault(page.person.lower(), [])
    people = []
    for email, rotations in sorted(on.items()):
        limits, source = _strictest(rotations)
        person = by_email[email]
        found = load(theirs.get(email, []), {email: shifts.get(email, [])},
                     {email: person.timezone}, since, until, limits, night)  # fmt: skip
        (measured,) = [f for f in found if f.person == email] or [_idle(email, person)]
        broken = tuple(Broken(_at(source[b.limit], b.limit), source[b.limit].name, b)
                       for b in measured.broken)  # fmt: skip
        people.append(PersonReport(person, tuple(r.name for r in rotations), limits, measured,
                                   broken))  # fmt: skip
    nobody = sum(1 for p in window if not p.person)
    return OncallReport(since, until, tuple(r.name for r in chosen), len(window), nobody,
                        len(window) - nobody - sum(map(len, theirs.values())), tuple(people),
                        night)  # fmt: skip


def _idle(email: str, person: Person) -> PersonLoad:
    """The load of someone on a rotation with neither a shift nor a page in the window."""
    return PersonLoad(email, person.timezone, 0, 0.0, 0, 0, 0, 0.0, 0, 0.0, 0.0, 0.0, 1.0, ())
