"""Deliberate tickets placed by calendar rules: a weekend, public holidays, DST changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from opskit.sandbox.seed_calendar import (
    BERLIN,
    NEW_YORK,
    at,
    business_day_after,
    last_dst_change,
    last_holiday,
    last_weekend,
    weekday_before,
)
from opskit.sandbox.seed_tickets_base import (
    ALDER,
    BRIGHTLEAF,
    HARBOR,
    KESTREL,
    LUKAS,
    MARCUS,
    MEHMET,
    SOFIA,
    Ticket,
    ticket,
)


def weekend(anchor: datetime) -> Ticket:
    """A weekend: opened Friday 16:30 Berlin, answered and resolved on Monday."""
    sat = last_weekend(anchor, 3)
    fri, mon = sat - timedelta(days=1), sat + timedelta(days=2)
    return ticket("Backup job failed before the weekend", "P3", KESTREL, "Backup",
                   at(fri, 16, 30, BERLIN), [
        (at(mon, 9, 10, BERLIN), MEHMET, "public", "Looking at the failed job now."),
        (at(mon, 9, 15, BERLIN), MEHMET, "status", "In Progress"),
        (at(mon, 15, 0, BERLIN), MEHMET, "status", "Resolved"),
    ])  # fmt: skip


def berlin_holiday(anchor: datetime) -> Ticket:
    """A Berlin public holiday: opened the Friday before it at 16:30, answered after it."""
    holiday = last_holiday(anchor, "DE", 7)
    after = business_day_after(holiday, "DE")
    return ticket("Shared folder not syncing", "P2", ALDER, "File sync",
                   at(weekday_before(holiday, 4), 16, 30, BERLIN), [
        (at(after, 8, 30, BERLIN), LUKAS, "public", "Back after the holiday: checking."),
        (at(after, 8, 35, BERLIN), LUKAS, "status", "In Progress"),
        (at(after, 12, 0, BERLIN), LUKAS, "status", "Resolved"),
    ])  # fmt: skip


def us_holiday(anchor: datetime) -> Ticket:
    """A US public holiday: opened the afternoon before it in New York, answered after it."""
    holiday = last_holiday(anchor, "US", 7)
    after = business_day_after(holiday, "US")
    return ticket("Portal invoices page blank", "P2", HARBOR, "Web portal",
                   at(holiday - timedelta(days=1), 15, 0, NEW_YORK), [
        (at(after, 9, 30, NEW_YORK), SOFIA, "public", "Reproduced, fixing."),
        (at(after, 9, 40, NEW_YORK), SOFIA, "status", "In Progress"),
        (at(after, 15, 30, NEW_YORK), SOFIA, "status", "Resolved"),
    ])  # fmt: skip


def berlin_dst(anchor: datetime) -> Ticket:
    """Europe/Berlin's DST change: a P1 open across the night the clocks moved."""
    day = last_dst_change(anchor, BERLIN, 7)
    sat = day - timedelta(days=1)
    return ticket("Storage API returns 503 for all buckets", "P1", KESTREL, "Storage API",
                   at(sat, 22, 0, BERLIN), [
        (at(sat, 22, 20, BERLIN), MEHMET, "public", "Paged the storage team."),
        (at(sat, 22, 25, BERLIN), MEHMET, "status", "In Progress"),
        (at(day, 4, 30, BERLIN), MEHMET, "status", "Resolved"),
    ])  # fmt: skip


def new_york_dst(anchor: datetime) -> Ticket:
    """America/New_York's DST change: a P1 open across the night the clocks moved."""
    day = last_dst_change(anchor, NEW_YORK, 7)
    sat = day - timedelta(days=1)
    return ticket("SSO sign-in loops back to the login page", "P1", BRIGHTLEAF, "Identity",
                   at(sat, 23, 0, NEW_YORK), [
        (at(sat, 23, 40, NEW_YORK), MARCUS, "public", "Investigating the IdP certificate."),
        (at(day, 0, 10, NEW_YORK), MARCUS, "status", "In Progress"),
        (at(day, 3, 30, NEW_YORK), MARCUS, "status", "Resolved"),
    ])  # fmt: skip
