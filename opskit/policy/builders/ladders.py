"""Escalation ladders: steps that notify rotations and people, each after a delay."""

from __future__ import annotations

from opskit.policy import model as m
from opskit.policy.builders.base import Builder
from opskit.policy.values import Duration


def build_ladder(b: Builder, s: m.Source) -> m.EscalationLadder:
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
