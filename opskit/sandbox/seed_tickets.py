"""The demo seed's deliberate tickets: a documented set that an SLA engine can be checked
against, placed by calendar rules relative to the seed's anchor (see ``seed_calendar``).

Each function returns one ticket in the shape ``opskit.sandbox.tickets`` loads; its
docstring's first line says what it exercises. Together they span a weekend, a Berlin and a
US public holiday, both DST changes, pauses ("Waiting for customer", "Pending release"), a
priority change, public replies vs internal and customer comments, tickets still open (near
or past their targets) and tickets resolved in time and late. They come after the random
tickets, so their keys follow those (SUP-301 onwards with the 300 random ones). Seven of
the resolved ones carry the customer's satisfaction rating (``seed_feedback``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from opskit.sandbox.seed_feedback import with_rating
from opskit.sandbox.seed_tickets_base import Ticket
from opskit.sandbox.seed_tickets_calendar import (
    berlin_dst,
    berlin_holiday,
    new_york_dst,
    us_holiday,
    weekend,
)
from opskit.sandbox.seed_tickets_relative import (
    comment_kinds,
    internal_only,
    near_target,
    open_waiting,
    past_target,
    pending_release,
    priority_change,
    reopened,
    resolved_in_time,
    resolved_late,
    waiting_for_customer,
)

DELIBERATE: list[Callable[[datetime], Ticket]] = [
    weekend,
    berlin_holiday,
    us_holiday,
    berlin_dst,
    new_york_dst,
    waiting_for_customer,
    pending_release,
    priority_change,
    comment_kinds,
    internal_only,
    near_target,
    past_target,
    resolved_in_time,
    resolved_late,
    open_waiting,
    reopened,
]


def deliberate_tickets(anchor: datetime) -> list[Ticket]:
    """The deliberate tickets, some with the customer's rating (see ``seed_feedback``)."""
    return [with_rating(make.__name__, make(anchor), anchor) for make in DELIBERATE]
