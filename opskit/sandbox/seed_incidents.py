"""The demo seed's PagerDuty incident history: resolved incidents on the customer-facing
services in the two calendar months (UTC) before the anchor's month, for availability
figures ("last month" below 100 % for some services, and different from the month before).

The services do not exist when the seed runs: ``opskit apply`` creates them from
policies/services.yaml (a service the seed made would collide with that one). So the
history waits for them (``incident_history.defer``) and is loaded, as
``POST /_sandbox/pagerduty/incidents`` would load it, by ``POST
/_sandbox/pagerduty/seed-history`` once they exist (``make demo`` calls it after apply).

``HISTORY``: months before the anchor's month, service, title, urgency, day, UTC time and
minutes open. Last month: storage-api high 95 min (9th, 14:05), identity high 50 min (17th,
07:40), storage-api low 4 h (22nd, 10:00), web-portal low 3 h (12th, 15:30). The month
before: storage-api high 25 min (12th, 02:10), file-sync high 2 h 10 min (5th, 16:30),
backup low 3 h (20th, 01:00).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from opskit.sandbox.db import Doc

HISTORY: list[tuple[int, str, str, str, int, int, int, int]] = [
    (1, "storage-api", "Storage API returns 503 in eu-central", "high", 9, 14, 5, 95),
    (1, "identity", "SAML sign-in fails for federated tenants", "high", 17, 7, 40, 50),
    (1, "storage-api", "Slow bucket listings in us-east", "low", 22, 10, 0, 240),
    (1, "web-portal", "Billing page slow to load", "low", 12, 15, 30, 180),
    (2, "storage-api", "Storage API 5xx after a failed deploy", "high", 12, 2, 10, 25),
    (2, "file-sync", "Share links return 404", "high", 5, 16, 30, 130),
    (2, "backup", "Nightly backup jobs delayed", "low", 20, 1, 0, 180),
]


def incident_history(anchor: datetime) -> list[Doc]:
    """``HISTORY`` placed relative to the anchor, in the loader's shape."""
    from opskit.sandbox.pagerduty.incident_query import shift_months

    month = anchor.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    out = []
    for back, service, title, urgency, day, hour, minute, minutes in HISTORY:
        start = shift_months(month, -back).replace(day=day, hour=hour, minute=minute)
        out.append({
            "service": service, "title": title, "urgency": urgency,
            "created": start.isoformat(),
            "resolved": (start + timedelta(minutes=minutes)).isoformat(),
        })  # fmt: skip
    return out
