"""Consistency between objects: unique levels, leads among members."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.policy.checks.base import Context, Finding


def levels(context: Context) -> Iterator[Finding]:
    seen: dict[int, str] = {}
    for priority in context.policy.priorities.values():
        first = seen.setdefault(priority.level, priority.name)
        if first != priority.name:
            position = priority.source.at("level")
            yield Finding(
                position,
                f"priority {priority.name!r} has level {priority.level}, as {first!r} does",
            )


def leads(context: Context) -> Iterator[Finding]:
    for team in context.policy.teams.values():
        members = {id(p) for p in team.members}
        for index, lead in enumerate(team.source.data.get("leads", [])):
            person = context.policy.people.get(lead)
            if person is not None and id(person) not in members:
                position = team.source.at("leads", index)
                yield Finding(
                    position,
                    f"lead {lead!r} is not a member of team {team.name!r}; add them to members",
                )
