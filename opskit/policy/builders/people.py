"""People and the teams they form."""

from __future__ import annotations

from opskit.policy import model as m
from opskit.policy.builders.base import Builder


def build_person(b: Builder, s: m.Source) -> m.Person:
    d = s.data
    b.timezone(d["timezone"], s, "timezone")
    return m.Person(
        d["name"], d["email"], d["timezone"], d.get("full_name", d["name"]), d.get("role"), s
    )


def build_team(b: Builder, s: m.Source) -> m.Team:
    d, people = s.data, b.policy.people
    members = b.refs(people, "Person", d["members"], s, "members")
    leads = b.refs(people, "Person", d.get("leads", []), s, "leads")
    return m.Team(d["name"], members, leads, d.get("jira_components", []), s)
