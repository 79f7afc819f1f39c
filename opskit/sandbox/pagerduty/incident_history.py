"""Loading PagerDuty incidents with a backdated history (sandbox only: PagerDuty cannot
backdate), for availability figures over past months.

The contract, for tests and for the seed (``load_incidents``), and over HTTP as
``POST /_sandbox/pagerduty/incidents``::

    {"incidents": [{
        "service": "storage-api",             # a service's name or id
        "title": "Storage API returns 503",
        "urgency": "high",                    # optional: "high" (default) or "low"
        "created": "2026-02-09T14:05:00+00:00",  # ISO 8601 with an offset
        "resolved": "2026-02-09T15:40:00+00:00"  # optional: ISO 8601, or null (still open)
    }]}

answered ``201 {"ids": ["Q...", ...]}`` in the order given. Each incident is what the API
would show had it been triggered at ``created`` and resolved at ``resolved``: status
``resolved`` (or ``triggered``), ``created_at``, ``resolved_at``, ``last_status_change_at``
and ``updated_at`` at those instants, numbered as the account's next incidents. It arrives
as a monitoring event would (``incident_log.opened``, agent the service, channel ``api``):
assigned to whoever its service's escalation policy's first rule reached at ``created``
(on the schedules as they are when it is loaded), with trigger, assign and notify log
entries then, and a resolve entry at ``resolved`` (the service resolved it). Nothing is
loaded when any incident is refused: an unknown service, a missing title, an urgency other
than high or low, a time without an offset or after the sandbox's current time, a
resolution before the creation, or an unknown key answer 400 naming the incident and field.

History can also wait for its service (``defer``): the demo seed keeps the customer-facing
services' past incidents until ``opskit apply`` has created those services (a service the
seed made would collide with the one the policies create), and ``POST
/_sandbox/pagerduty/seed-history`` then loads what waits for services that exist
(``release``). Nothing happens behind PagerDuty's own endpoints: creating a service never
adds incidents to it.

Python callers (the seeds) may also give ``"acknowledged"``, an ISO 8601 time between
``created`` and ``resolved``: the incident's first assignee acknowledges it then (channel
``website``) and resolves it at ``resolved``; with nobody assigned, nobody could, and it stays
unacknowledged. The HTTP route does not take the key: its contract stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from opskit.sandbox.backdate import past_time
from opskit.sandbox.db import Doc, Store
from opskit.sandbox.pagerduty import incident_log
from opskit.sandbox.pagerduty.incidents import URGENCIES, new_incident, set_status
from opskit.sandbox.state import state

MAX_INCIDENTS = 1000
KEYS = {"service", "title", "urgency", "created", "resolved"}
ACKNOWLEDGED = "acknowledged"  # Python callers only (see the module's docstring)
PENDING = "sandbox.pd_history"  # service name -> incidents waiting for that service


class IncidentError(ValueError):
    """An incident the loader refuses; the message says which and why."""


def _time(raw: Any, where: str) -> datetime:
    return past_time(raw, where, IncidentError)


def _service(raw: Any, where: str) -> str:
    for doc in state().store.all("pd.service"):
        if raw in (doc["id"], doc["name"]):
            return str(doc["id"])
    raise IncidentError(f"{where}: no service has the name or id {str(raw)[:100]!r}")


def _later(raw: Any, where: str, after: datetime, what: str) -> datetime | None:
    if raw is None:
        return None
    when = _time(raw, where)
    if when < after:
        raise IncidentError(f"{where}: the incident is {what} before it opened")
    return when


def _incident(raw: Any, where: str, keys: set[str]) -> str:
    if not isinstance(raw, dict):
        raise IncidentError(f"{where}: an incident must be an object")
    unknown = sorted(set(raw) - keys)
    if unknown:
        raise IncidentError(f"{where}: unknown key {unknown[0][:50]!r}")
    service = _service(raw.get("service"), f"{where}.service")
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise IncidentError(f"{where}.title: an incident needs a title")
    urgency = raw.get("urgency", "high")
    if urgency not in URGENCIES:
        raise IncidentError(f"{where}.urgency: must be high or low")
    created = _time(raw.get("created"), f"{where}.created")
    resolved = _later(raw.get("resolved"), f"{where}.resolved", created, "resolved")
    acked = _later(raw.get(ACKNOWLEDGED), f"{where}.{ACKNOWLEDGED}", created, "acknowledged")
    if acked is not None and resolved is not None and acked > resolved:
        raise IncidentError(f"{where}.{ACKNOWLEDGED}: the incident is acknowledged after it "
                            "was resolved")  # fmt: skip
    doc = new_incident(service, title[:1024], str(urgency), None, created)
    closer: tuple[tuple[str, str], str] = (("service", service), "api")
    incident_log.opened(doc, created, closer[0], closer[1])
    if acked is not None and doc["assignments"]:
        closer = (("user", str(doc["assignments"][0]["assignee"])), "website")
        set_status(doc, "acknowledged", acked)
        incident_log.acknowledged(doc, acked, *closer)
    if resolved is not None:
        set_status(doc, "resolved", resolved)
        incident_log.resolved(doc, resolved, *closer)
    state().store.put("pd.incident", doc["id"], doc)
    return str(doc["id"])


def load_incidents(store: Store, incidents: Any, *, acknowledgements: bool = False) -> list[str]:
    """Create the incidents (all or none); their ids. Raises IncidentError when refused.
    `acknowledgements` lets the incidents carry ``"acknowledged"`` (Python callers only)."""
    if store is not state().store:
        raise ValueError("load_incidents needs the running sandbox's own store")
    if not isinstance(incidents, list) or not 1 <= len(incidents) <= MAX_INCIDENTS:
        raise IncidentError(f"incidents must be a list of 1 to {MAX_INCIDENTS} incidents")
    keys = KEYS | {ACKNOWLEDGED} if acknowledgements else KEYS
    with store.transaction():
        return [_incident(raw, f"incidents[{n}]", keys) for n, raw in enumerate(incidents)]


def defer(store: Store, incidents: list[Doc], pending: str = PENDING) -> None:
    """Keep incidents (loader-shaped, ``service`` a name) until services of those names are
    created; see ``release``. `pending`: the kind they wait under (one per history)."""
    for raw in incidents:
        name = str(raw["service"])
        waiting = store.get(pending, name) or {"id": name, "incidents": []}
        waiting["incidents"].append(raw)
        store.put(pending, name, waiting)


def release(
    store: Store, pending: str = PENDING, *, before: Callable[[str], None] | None = None,
    acknowledgements: bool = False,
) -> tuple[list[str], list[str]]:  # fmt: skip
    """Load the history waiting for services that exist now: (incident ids, names still
    waiting). Each service's history is loaded once, all or none; `before(service_id)`
    runs first for each service loaded (``seed_pages_load`` backdates its schedules)."""
    ids: list[str] = []
    with store.transaction():
        names = {str(doc["name"]): str(doc["id"]) for doc in store.all("pd.service")}
        for waiting in sorted(store.all(pending), key=lambda w: str(w["id"])):
            service = names.get(str(waiting["id"]))
            if service is None:
                continue
            store.delete(pending, str(waiting["id"]))
            if before is not None:
                before(service)
            history = [{**raw, "service": service} for raw in waiting["incidents"]]
            try:
                ids += load_incidents(store, history, acknowledgements=acknowledgements)
            except IncidentError as err:
                raise IncidentError(f"the history of {waiting['id']}: {err}") from None
    return ids, sorted(str(w["id"]) for w in store.all(pending))
