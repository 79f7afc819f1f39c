"""What each policy is called in PagerDuty, and how PagerDuty compares those names.

Read by `opskit validate` on every run (see opskit.sync.natural_keys), so it imports nothing
of the `pagerduty` client. Names are compared exactly, as PagerDuty does. People are joined
to users by email, which the policy checks already keep unique in any case
(`email-duplicate`).
"""

from __future__ import annotations

from operator import attrgetter

from opskit.sync.natural_keys import NaturalKey

_NAME = attrgetter("name")

NATURAL_KEYS: dict[str, NaturalKey] = {
    "Team": NaturalKey("team", "PagerDuty team", _NAME),
    "Rotation": NaturalKey("schedule", "PagerDuty schedule", _NAME),
    "EscalationLadder": NaturalKey("escalation_policy", "PagerDuty escalation policy", _NAME),
    "Service": NaturalKey("service", "PagerDuty service", _NAME),
    # Priorities are made in PagerDuty's settings; a policy's is found by its name.
    "Priority": NaturalKey("priority", "PagerDuty priority", _NAME),
}
