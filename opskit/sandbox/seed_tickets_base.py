"""What the deliberate seed tickets are made of: the people, customers and one builder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from opskit.sandbox.seed_data import DOMAIN

Ticket = dict[str, Any]

# agents: Berlin (Mehmet, Lukas), London (Oliver), New York (Sofia, Marcus)
MEHMET, LUKAS, OLIVER = (f"{n}@{DOMAIN}" for n in ("mehmet", "lukas", "oliver"))
SOFIA, MARCUS = f"sofia@{DOMAIN}", f"marcus@{DOMAIN}"
KESTREL = ("Kestrel Architekten GmbH", "jana.vogel@kestrel-architekten.example")
HARBOR = ("Harbor Dental Group", "luis.moreno@harbordental.example")
BRIGHTLEAF = ("Brightleaf Legal LLP", "hannah.whitfield@brightleaf-legal.example")
PINECREST = ("Pinecrest Accounting & Tax", "denise.ward@pinecrest-cpa.example")
BLUEFIN = ("Bluefin Marketing Ltd", "amara@bluefin-marketing.example")
ALDER = ("Alder & Sage Bakeries", "katrin.huber@alderandsage.example")
CAFE = ("Café Mélange", "theo@cafe-melange.example")
TIDEWATER = ("Tidewater Books", "colin@tidewaterbooks.example")


def ticket(
    summary: str,
    priority: str,
    customer: tuple[str, str],
    component: str,
    created: datetime,
    events: list[tuple[datetime, str, str, Any]],
) -> Ticket:
    """``events``: (at, author, kind, value) with kind status / priority / public / internal
    ("customer" stands for the reporter as author)."""
    org, reporter = customer
    out = []
    for when, author, kind, value in events:
        who = reporter if author == "customer" else author
        event: dict[str, Any] = {"at": when.isoformat(), "author": who}
        if kind in ("public", "internal"):
            event |= {"comment": value, "public": kind == "public"}
        else:
            event[kind] = value
        out.append(event)
    return {
        "project": "SUP",
        "summary": summary,
        "priority": priority,
        "organization": org,
        "components": [component],
        "reporter": reporter,
        "created": created.isoformat(),
        "events": out,
        "labels": ["seed-deliberate"],
    }


def before(anchor: datetime, days: float = 0, hours: float = 0) -> datetime:
    return (anchor - timedelta(days=days, hours=hours)).astimezone(UTC)
