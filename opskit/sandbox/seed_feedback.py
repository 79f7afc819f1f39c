"""The demo seed's customer satisfaction (CSAT) ratings, deterministic in the anchor.

Random tickets (SUP-1..SUP-300): each one resolved by the anchor is rated with chance
``RATED`` (60 %), by the reporter, by a generator of its own (``Random("csat-<n>")``), so
the tickets' own random story is unchanged and the same anchor always gives the same
ratings. Ratings lean good (5: 40 %, 4: 30 %, 3: 15 %, 2: 8 %, 1: 7 %); ratings of 1 or 2
always come with a comment. Each is given between five minutes and three days after the
resolution (never after the anchor).

Deliberate tickets (``DELIBERATE_RATINGS``, given that many hours after the resolution):
SUP-301 weekend 4, SUP-304 berlin_dst 2, SUP-306 waiting_for_customer 5, SUP-308
priority_change 3, SUP-309 comment_kinds 5, SUP-313 resolved_in_time 5, SUP-314
resolved_late 1. The other resolved ones (SUP-302, 303, 305, 307) have no rating, nor has
SUP-316 (reopened) or any ticket still open.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from opskit.sandbox.db import Doc
from opskit.sandbox.seed_tickets_base import Ticket

RATED = 0.6
WEIGHTS = {5: 40, 4: 30, 3: 15, 2: 8, 1: 7}
COMMENTS = {
    5: ["Quick and friendly, thank you!", "Solved on the first reply."],
    4: ["Good, though it took a while to hear back."],
    3: ["Fixed in the end, but I had to chase it."],
    2: ["Too slow for something this urgent.", "I had to explain the problem twice."],
    1: ["Nobody answered for days.", "Still not really fixed."],
}

# deliberate ticket -> (rating, comment, hours after the resolution)
DELIBERATE_RATINGS: dict[str, tuple[int, str | None, int]] = {
    "weekend": (4, "Fixed first thing Monday, thanks.", 2),
    "berlin_dst": (2, "Six hours without storage in the night.", 5),
    "waiting_for_customer": (5, "Quick once we had found the client number.", 1),
    "priority_change": (3, None, 20),
    "comment_kinds": (5, "That was it, thanks!", 0),
    "resolved_in_time": (5, None, 3),
    "resolved_late": (1, "Two days for a stuck client is too long.", 8),
}
DONE = ("Resolved", "Closed")


def rate_random(issue: Doc, n: int, anchor: datetime) -> None:
    """Rate random ticket ``n`` (made by the seed, not the loader) if it is resolved."""
    from opskit.sandbox.jira import feedback_model
    from opskit.sandbox.jira.common import parse_jira_time

    rng = random.Random(f"csat-{n}")
    if not issue.get("resolutiondate") or rng.random() >= RATED:
        return
    rating = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    comment = rng.choice(COMMENTS[rating]) if rating <= 2 or rng.random() < 0.3 else None
    resolved = parse_jira_time(issue["resolutiondate"])
    at = min(resolved + timedelta(minutes=rng.randrange(5, 3 * 24 * 60)), anchor)
    feedback_model.give(issue, rating, comment, issue["reporter"], max(at, resolved))


def with_rating(name: str, ticket: Ticket, anchor: datetime) -> Ticket:
    """The deliberate ticket with its ``feedback`` (in the loader's shape), if it has one."""
    if name not in DELIBERATE_RATINGS:
        return ticket
    rating, comment, hours = DELIBERATE_RATINGS[name]
    resolved = next(
        datetime.fromisoformat(e["at"]) for e in ticket["events"] if e.get("status") in DONE
    )
    at = min(resolved + timedelta(hours=hours), anchor)
    feedback: dict[str, object] = {"rating": rating, "at": at.isoformat()}
    if comment:
        feedback["comment"] = comment
    return {**ticket, "feedback": feedback}
