"""Seed data: what every fresh sandbox has, and the ``demo`` data set.

The demo's PagerDuty objects are "made by hand" (no ``managed-by: opskit/...`` marker), so
import, adoption and "never delete what isn't ours" can be shown against them. History for
reviews: customer satisfaction ratings on resolved tickets (``seed_feedback``) and resolved
incidents on the customer-facing services in the two months before the anchor's
(``seed_incidents``; loaded by ``POST /_sandbox/pagerduty/seed-history`` once ``opskit
apply`` has created those services).
"""

from __future__ import annotations

from datetime import datetime

from opskit.sandbox.db import Store
from opskit.sandbox.jira.workflow import ORGANIZATIONS_FIELD
from opskit.sandbox.seed_jira import seed_jira
from opskit.sandbox.seed_pagerduty import seed_pagerduty

PD_PRIORITIES = [
    ("P1", "Critical: customers cannot work"),
    ("P2", "High: a major function is degraded"),
    ("P3", "Moderate: a workaround exists"),
    ("P4", "Low: cosmetic or questions"),
    ("P5", "Informational"),
]
JIRA_DEFAULT_PRIORITIES = [
    ("Highest", "#d04437"),
    ("High", "#f15c75"),
    ("Medium", "#f79232"),
    ("Low", "#707070"),
    ("Lowest", "#999999"),
]


def ensure_base(store: Store) -> None:
    """Objects a new PagerDuty account or Jira site already has."""
    if store.count("pd.priority") or store.count("jira.priority"):
        return
    with store.transaction():
        for i, (name, desc) in enumerate(PD_PRIORITIES, start=1):
            store.put(
                "pd.priority",
                f"PPRI{i:03d}",
                {"id": f"PPRI{i:03d}", "name": name, "description": desc},
            )
        for i, (name, colour) in enumerate(JIRA_DEFAULT_PRIORITIES, start=1):
            store.put(
                "jira.priority",
                str(i),
                {
                    "id": str(i),
                    "name": name,
                    "description": name,
                    "statusColor": colour,
                    "iconUrl": f"/images/icons/priorities/{name.lower()}.svg",
                },
            )
        fid = ORGANIZATIONS_FIELD
        store.put(
            "jira.field",
            fid,
            {
                "id": fid,
                "key": fid,
                "name": "Organizations",
                "custom": True,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": ["Organizations"],
                "schema": {
                    "type": "array",
                    "items": "sd-customerorganization",
                    "custom": "com.atlassian.servicedesk:sd-customer-organizations",
                    "customId": 10002,
                },
            },
        )


def apply_seed(store: Store, name: str, now: datetime) -> bool:
    """Seed once per database; returns whether anything was added. Needs an app context."""
    if name != "demo":
        raise ValueError(f"unknown seed {name!r} (known: demo)")
    if store.get("sandbox.seed", name) is not None:
        return False
    anchor = now.replace(minute=0, second=0, microsecond=0)
    with store.transaction():
        seed_pagerduty(store, anchor)
        seed_jira(store, anchor)
        store.put("sandbox.seed", name, {"id": name, "anchor": anchor.isoformat()})
    return True
