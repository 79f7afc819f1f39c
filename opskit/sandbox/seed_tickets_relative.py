"""Deliberate tickets placed hours or days before the anchor: pauses, a priority change,
comment kinds, open tickets near or past their targets, resolved in time and late."""

from __future__ import annotations

from datetime import datetime, timedelta

from opskit.sandbox.seed_tickets_base import (
    ALDER,
    BLUEFIN,
    BRIGHTLEAF,
    CAFE,
    HARBOR,
    KESTREL,
    LUKAS,
    MEHMET,
    OLIVER,
    PINECREST,
    SOFIA,
    TIDEWATER,
    Ticket,
    before,
    ticket,
)


def waiting_for_customer(anchor: datetime) -> Ticket:
    """A pause: two days "Waiting for customer" between the reply and the fix."""
    t0 = before(anchor, days=6)
    h = timedelta(hours=1)
    return ticket("Month-end report missing a client", "P3", PINECREST,
                   "Application support", t0, [
        (t0 + h, OLIVER, "public", "Which client is missing?"),
        (t0 + 2 * h, OLIVER, "status", "Waiting for customer"),
        (t0 + 50 * h, "customer", "public", "It is client 4411."),
        (t0 + 50 * h, OLIVER, "status", "In Progress"),
        (t0 + 53 * h, OLIVER, "status", "Resolved"),
    ])  # fmt: skip


def pending_release(anchor: datetime) -> Ticket:
    """A pause: fixed, then three days "Pending release" before it is resolved."""
    t0 = before(anchor, days=8)
    h = timedelta(hours=1)
    return ticket("Share links expire a day early", "P2", TIDEWATER, "Web portal", t0, [
        (t0 + h, SOFIA, "public", "Confirmed; a fix is on its way."),
        (t0 + 2 * h, SOFIA, "status", "In Progress"),
        (t0 + 6 * h, SOFIA, "status", "Pending release"),
        (t0 + 78 * h, SOFIA, "status", "Resolved"),
    ])  # fmt: skip


def priority_change(anchor: datetime) -> Ticket:
    """A priority change mid-life: raised from P3 to P1 five hours in."""
    t0 = before(anchor, days=3)
    h = timedelta(hours=1)
    return ticket("Uploads slow for one office", "P3", HARBOR, "Storage API", t0, [
        (t0 + 2 * h, LUKAS, "public", "Can you send a traceroute?"),
        (t0 + 5 * h, "customer", "public", "Now no office can upload at all."),
        (t0 + 5 * h, LUKAS, "priority", "P1"),
        (t0 + 5 * h, LUKAS, "status", "In Progress"),
        (t0 + 7 * h, LUKAS, "status", "Resolved"),
    ])  # fmt: skip


def comment_kinds(anchor: datetime) -> Ticket:
    """Comment kinds: an internal note first, then a public reply, a customer's answer."""
    t0 = before(anchor, days=2)
    m = timedelta(minutes=1)
    return ticket("MFA codes rejected", "P3", BLUEFIN, "Identity", t0, [
        (t0 + 20 * m, OLIVER, "internal", "Clock skew on their phones? Check the logs first."),
        (t0 + 95 * m, OLIVER, "public", "Please check your phone's time settings."),
        (t0 + 130 * m, "customer", "public", "That was it, thanks!"),
        (t0 + 140 * m, OLIVER, "status", "Resolved"),
    ])  # fmt: skip


def internal_only(anchor: datetime) -> Ticket:
    """Open, only an internal note so far: no first response, past its P2 target."""
    t0 = before(anchor, hours=6)
    return ticket("Can't add a new user in the portal", "P2", CAFE, "Web portal", t0, [
        (t0 + timedelta(minutes=30), SOFIA, "internal", "Needs billing to raise the seat cap."),
    ])  # fmt: skip


def near_target(anchor: datetime) -> Ticket:
    """Open P2 with no reply three hours in: an hour left at the anchor on its first response
    (the seed's clock runs up to an hour past the anchor: still not breached then)."""
    return ticket("Sign-in slow for every user", "P2", BRIGHTLEAF, "Major incident",
                   before(anchor, hours=3), [])  # fmt: skip


def past_target(anchor: datetime) -> Ticket:
    """Open P2, answered but still in progress 30 hours in: its resolution target breached."""
    t0 = before(anchor, hours=30)
    return ticket("Restore from last night's backup fails", "P2", KESTREL, "Storage API",
                   t0, [
        (t0 + timedelta(hours=1), MEHMET, "public", "Restoring by hand meanwhile."),
        (t0 + timedelta(hours=1), MEHMET, "status", "In Progress"),
    ])  # fmt: skip


def resolved_in_time(anchor: datetime) -> Ticket:
    """Resolved in time: a P4 answered in two hours, resolved in a day, then closed."""
    t0 = before(anchor, days=4)
    h = timedelta(hours=1)
    return ticket("How many seats does our plan include?", "P4", TIDEWATER, "Backup", t0, [
        (t0 + 2 * h, OLIVER, "public", "Your plan includes 25 seats."),
        (t0 + 24 * h, OLIVER, "status", "Resolved"),
        (t0 + 48 * h, OLIVER, "status", "Closed"),
    ])  # fmt: skip


def resolved_late(anchor: datetime) -> Ticket:
    """Resolved late: a P2 first answered after six hours and resolved after two days."""
    t0 = before(anchor, days=10)
    h = timedelta(hours=1)
    return ticket("Desktop client stuck on 'indexing'", "P2", PINECREST, "File sync", t0, [
        (t0 + 6 * h, LUKAS, "public", "Sorry for the wait: can you send the client log?"),
        (t0 + 7 * h, LUKAS, "status", "In Progress"),
        (t0 + 50 * h, LUKAS, "status", "Resolved"),
    ])  # fmt: skip


def open_waiting(anchor: datetime) -> Ticket:
    """Open and paused: waiting for the customer since yesterday."""
    t0 = before(anchor, days=2)
    h = timedelta(hours=1)
    return ticket("Recipe app shows old prices", "P3", ALDER, "Application support", t0, [
        (t0 + h, MEHMET, "public", "Which store are you looking at?"),
        (t0 + 20 * h, MEHMET, "status", "Waiting for customer"),
    ])  # fmt: skip


def reopened(anchor: datetime) -> Ticket:
    """Reopened: resolved, the customer says it is back, in progress again (no resolution)."""
    t0 = before(anchor, days=7)
    h = timedelta(hours=1)
    return ticket("Nightly backup e-mails missing", "P3", HARBOR, "Backup", t0, [
        (t0 + 3 * h, SOFIA, "public", "Mail relay fixed."),
        (t0 + 4 * h, SOFIA, "status", "Resolved"),
        (t0 + 30 * h, "customer", "public", "They stopped again last night."),
        (t0 + 30 * h, SOFIA, "status", "Open"),
        (t0 + 31 * h, SOFIA, "status", "In Progress"),
    ])  # fmt: skip
