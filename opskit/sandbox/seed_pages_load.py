"""Loading the demo's paging history (``seed_pages``) into a sandbox that has the demo seed,
as ``POST /_sandbox/pagerduty/seed-pages`` does: made once per database (``MARKER``), kept
per service until the service exists (``PENDING``), each service's pages loaded once,
through the incident loader (``incident_history.load_incidents``).

A schedule that ``opskit apply`` has just created starts now (PagerDuty keeps no past on
call), so in the past it would have reached nobody. Before a service's pages are loaded,
the layers of the schedules its escalation policy targets are taken back to the start of
the history, never before their rotation's first handoff: the history then reads as if
the schedules had been in place, and ``GET /oncalls`` for those weeks agrees with the
incidents' log. Only schedules whose layers have never been ended (untouched since they
were made) are, so a handover a later apply made is left as it was. History loaded before
this (``POST /_sandbox/pagerduty/seed-history``) keeps what was true when it was loaded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from opskit.sandbox.db import Store
from opskit.sandbox.pagerduty.common import fmt
from opskit.sandbox.pagerduty.incident_history import IncidentError, defer, release
from opskit.sandbox.schedule_render import parse_dt
from opskit.sandbox.seed_pages import WEEKS, pages_history

PENDING = "sandbox.pd_pages"  # service name -> its pages, until the service exists
MARKER = ("sandbox.seed", "pages")  # the history was made (once per database)


class PagesError(ValueError):
    """The history cannot be loaded here (no demo seed, or the loader refused it)."""


def _backdate(store: Store, service_id: str, since: datetime) -> None:
    """Take the layers of the schedules the service's escalation policy targets back to
    `since` (never before their rotation's first handoff), if never ended."""
    service = store.get("pd.service", service_id) or {}
    policy = store.get("pd.escalation_policy", str(service.get("escalation_policy"))) or {}
    for rule in policy.get("escalation_rules") or []:
        for target in rule.get("targets") or []:
            schedule = store.get("pd.schedule", str(target.get("id")))
            if schedule is None or any(layer.get("end") for layer in schedule["layers"]):
                continue
            for layer in schedule["layers"]:
                start = max(parse_dt(layer["rotation_virtual_start"]), since)
                if start < parse_dt(layer["start"]):
                    layer["start"] = fmt(start)
            store.put("pd.schedule", str(schedule["id"]), schedule)


def release_pages(store: Store) -> tuple[list[str], list[str]]:
    """Load the pages of the services that exist now: (incident ids, names still waiting).
    Each service's pages are loaded once. Needs the app context and the demo seed."""
    with store.transaction():  # all or none, and a concurrent call waits for this one
        demo = store.get("sandbox.seed", "demo")
        if demo is None:
            raise PagesError("the paging history needs the demo seed (start the sandbox with it)")
        anchor = datetime.fromisoformat(str(demo["anchor"]))
        if store.get(*MARKER) is None:
            defer(store, pages_history(anchor), PENDING)
            store.put(*MARKER, {"id": MARKER[1], "anchor": anchor.isoformat()})
        since = anchor - timedelta(weeks=WEEKS)
        try:
            return release(store, PENDING, before=lambda service: _backdate(store, service, since),
                           acknowledgements=True)  # fmt: skip
        except IncidentError as err:
            raise PagesError(f"paging: {err}") from None
