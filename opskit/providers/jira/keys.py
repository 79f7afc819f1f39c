"""What each policy is called in Jira, and how Jira compares those names.

Read by `opskit validate` on every run (see opskit.sync.natural_keys), so it imports nothing
of the `jira` client. Jira refuses a second priority, component (within a project), select
option or Service Management organisation whose name differs from another's only in case.
"""

from __future__ import annotations

from operator import attrgetter

from opskit.sync.natural_keys import NaturalKey

NATURAL_KEYS: dict[str, NaturalKey] = {
    "Priority": NaturalKey(
        "priority", "Jira priority", attrgetter("jira_name"), ("jira_name", "name"),
        ignore_case=True,
    ),
    # Every service's component is made in each configured project, so a clash is one in all.
    "Service": NaturalKey(
        "component", "Jira component", attrgetter("jira_component"), ("jira_component", "name"),
        ignore_case=True,
    ),
    "SlaTier": NaturalKey(
        "tier_option", "Jira tier-field option", attrgetter("name"), ignore_case=True
    ),
    "Customer": NaturalKey(
        "organization", "Jira Service Management organisation", attrgetter("organization"),
        ("organization", "display_name", "name"), ignore_case=True,
    ),
}  # fmt: skip
