"""The demo data set for PagerDuty: people and objects made by hand, and the incident
history of the customer-facing services, which waits for ``opskit apply`` to create them
(``seed_incidents``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from opskit.sandbox.db import Store
from opskit.sandbox.seed_data import DOMAIN, PEOPLE


def seed_pagerduty(store: Store, anchor: datetime) -> None:
    from opskit.sandbox.pagerduty.common import fmt, new_id

    users = []
    for first, last, tz, role in PEOPLE:
        uid = new_id()
        store.put(
            "pd.user",
            uid,
            {
                "id": uid,
                "name": f"{first} {last}",
                "role": "user",
                "email": f"{first.lower()}@{DOMAIN}",
                "time_zone": tz,
                "description": role,
                "job_title": role.title(),
            },
        )
        users.append(uid)
        if first == "Kenji":
            continue  # one newcomer who has not set up their phone yet: opskit warns about it
        method = new_id()
        store.put("pd.contact_method", method, {"id": method, "type": "phone_contact_method", "user_id": uid,
                                                 "label": "Mobile", "address": "5550100", "country_code": 49})  # fmt: skip
        rule = new_id()
        store.put("pd.notification_rule", rule, {"id": rule, "user_id": uid, "contact_method_id": method,
                                                  "urgency": "high", "start_delay_in_minutes": 0})  # fmt: skip
    team = new_id()
    store.put(
        "pd.team",
        team,
        {
            "id": team,
            "name": "Ops (legacy)",
            "members": [{"user_id": u, "role": "responder"} for u in users[:4]],
            "description": "Set up by hand before opskit",
        },
    )
    start = fmt(anchor - timedelta(days=anchor.weekday(), hours=anchor.hour))
    schedule = new_id()
    store.put(
        "pd.schedule",
        schedule,
        {
            "id": schedule,
            "name": "Weekend cover (manual)",
            "time_zone": "Europe/Berlin",
            "description": "Maintained by hand in the PagerDuty UI",
            "teams": [team],
            "layers": [
                {
                    "id": new_id(),
                    "name": "Layer 1",
                    "start": start,
                    "end": None,
                    "rotation_virtual_start": start,
                    "rotation_turn_length_seconds": 604_800,
                    "users": users[:3],
                    "restrictions": [
                        {
                            "type": "weekly_restriction",
                            "start_time_of_day": "18:00:00",
                            "duration_seconds": 216_000,
                            "start_day_of_week": 5,
                        }
                    ],
                }
            ],
        },
    )
    policy = new_id()
    store.put(
        "pd.escalation_policy",
        policy,
        {
            "id": policy,
            "name": "Legacy escalation",
            "description": "Hand-made",
            "num_loops": 1,
            "on_call_handoff_notifications": "if_has_services",
            "teams": [team],
            "escalation_rules": [
                {
                    "id": "R0",
                    "escalation_delay_in_minutes": 30,
                    "targets": [{"id": schedule, "type": "schedule_reference"}],
                },
                {
                    "id": "R1",
                    "escalation_delay_in_minutes": 30,
                    "targets": [{"id": users[-1], "type": "user_reference"}],
                },
            ],
        },
    )
    service = new_id()
    store.put(
        "pd.service",
        service,
        {
            "id": service,
            "name": "Legacy billing alerts",
            "description": "Created by hand",
            "escalation_policy": policy,
            "status": "active",
            "auto_resolve_timeout": None,
            "acknowledgement_timeout": None,
            "teams": [team],
            "support_hours": None,
            "scheduled_actions": [],
            "alert_creation": "create_alerts_and_incidents",
            "incident_urgency_rule": {"type": "constant", "urgency": "high"},
        },
    )
    from opskit.sandbox.pagerduty.incident_history import defer
    from opskit.sandbox.seed_incidents import incident_history

    defer(store, incident_history(anchor))
