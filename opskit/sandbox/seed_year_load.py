"""Loading the seeded year (``seed_year``) into a sandbox that has the demo seed: once per
database, as ``POST /_sandbox/jira/seed-year`` does.

The year hangs off the demo seed's anchor (its customers, agents and components, and a
year ending where the demo's 60 days do), so it needs that seed. It is more tickets than
one ``POST /_sandbox/jira/tickets`` takes (``tickets.MAX_TICKETS``): they are loaded in
batches inside one transaction, all or none, and a marker (``MARKER``) written in the same
transaction makes a second call load nothing.
"""

from __future__ import annotations

from datetime import datetime

from opskit.sandbox.db import Store
from opskit.sandbox.seed_year import LABEL, year_tickets
from opskit.sandbox.tickets import MAX_TICKETS, TicketError, load_tickets

MARKER = ("sandbox.seed", "year")  # kind and id of the "year loaded" document


class YearError(ValueError):
    """The year cannot be loaded here (no demo seed, or the seed's objects have changed)."""


def load_year(store: Store) -> int:
    """Load the year unless it already is; the number of tickets added (0 the second time).
    Needs the sandbox's app context; raises YearError without the demo seed."""
    with store.transaction():  # also keeps a concurrent call out until this one commits
        if store.get(*MARKER) is not None:
            return 0
        demo = store.get("sandbox.seed", "demo")
        if demo is None:
            raise YearError("the seeded year needs the demo seed (start the sandbox with it)")
        anchor = datetime.fromisoformat(str(demo["anchor"]))
        tickets = year_tickets(anchor)
        keys: list[str] = []
        for start in range(0, len(tickets), MAX_TICKETS):
            try:
                keys += load_tickets(store, tickets[start : start + MAX_TICKETS])
            except TicketError as err:
                raise YearError(f"the seeded year, batch from ticket {start}: {err}") from None
        kind, doc_id = MARKER
        store.put(kind, doc_id, {"id": doc_id, "anchor": anchor.isoformat(), "label": LABEL,
                                 "loaded": len(keys), "keys": keys[:1] + keys[-1:]})  # fmt: skip
        return len(keys)
