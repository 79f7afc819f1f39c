"""Who is on call now for a service: the people of the first step of its ladder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opskit.oncall.ladder import step_people
from opskit.oncall.schedule import Schedules
from opskit.oncall.who import schedules_around
from opskit.policy.model import Person, Policy, Service


@dataclass(frozen=True, slots=True)
class OnCall:
    """Who a service's first ladder step pages now, and its rotations with nobody on call."""

    people: tuple[Person, ...]
    unstaffed: tuple[str, ...]  # rotations of the step with nobody on call


class Roster:
    """Rotations rendered once a run, around `now`, only if someone asks."""

    def __init__(self, policy: Policy, now: dt.datetime) -> None:
        self.policy, self.t = policy, int(now.timestamp())
        self._schedules: Schedules | None = None

    def first_step(self, service: Service) -> OnCall:
        if not service.ladder.steps:
            return OnCall((), ())
        if self._schedules is None:
            self._schedules = schedules_around(self.policy, self.t)
        names, empty = step_people(service.ladder.steps[0], self._schedules, self.t)
        people = tuple(self.policy.people[n] for n in names if n in self.policy.people)
        return OnCall(people, empty)
