"""A sandbox site for `sla enforce`: Jira (the example's projects, components, organisations,
people), PagerDuty services named as the policy's (all but `backup` with an Events API v2
integration), tickets, and ways to watch and break the traffic."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from opskit.policy.model import Policy
from opskit.providers.jira.client import Api as JiraApi
from opskit.providers.jira.client import connect as jira_connect
from opskit.providers.pagerduty.client import connect as pd_connect
from opskit.sandbox import Sandbox
from opskit.sla.enforce import Executor, Plan, Sources, plan
from opskit.sla.model import Clock, Metric, State, Ticket
from opskit.time.duration import Duration
from tests.sandbox.fixtures import pd_client_for
from tests.sla.site import admin, applied_site, load_tickets

REPO = Path(__file__).resolve().parents[2]
PD_TOKEN = "pd-sandbox-secret-77e1"
NOW = dt.datetime(2026, 12, 1, 16, 0, tzinfo=dt.UTC)
WITHOUT_EVENTS = "backup"  # a PagerDuty service with no Events API v2 integration
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READS_BY_POST = ("/search/jql", "/changelog/bulkfetch")
HARBOR = "luis.moreno@harbordental.example"


@dataclass
class Site:
    sandbox: Sandbox
    policy: Policy
    pd: Any  # the official REST client, to read PagerDuty back

    def jira(self) -> JiraApi:
        return jira_connect()

    def sources(self, api: JiraApi | None = None) -> Sources:
        return Sources(self.policy, NOW, api or self.jira(), pd_connect)

    def enforce(self, tickets: list[Ticket], *, dry_run: bool = False) -> Plan:
        api = self.jira()
        found = plan(tickets, self.policy, self.sources(api), NOW)
        if not dry_run:
            Executor(api).run(found)
        return found

    def issue(self, key: str) -> dict[str, Any]:
        return admin(self.sandbox, "GET", f"/rest/api/2/issue/{key}").json()

    def comments(self, key: str) -> list[dict[str, Any]]:
        path = f"/rest/api/2/issue/{key}/comment?maxResults=100&expand=properties"
        return list(admin(self.sandbox, "GET", path).json()["comments"])

    def incidents(self) -> list[dict[str, Any]]:
        return list(self.pd.iter_all("incidents"))

    def new_ticket(self, summary: str = "Archive unreachable", **extra: Any) -> str:
        body = {"summary": summary, "priority": "Medium", "organization": "Harbor Dental Group",
                "components": ["Storage API"], "reporter": HARBOR,
                "created": "2026-12-01T12:00:00+00:00", "events": [], **extra}  # fmt: skip
        return load_tickets(self.sandbox, [body])[0]


def make_site(sb: Sandbox, monkeypatch: pytest.MonkeyPatch, cache: Path) -> Site:
    policy = applied_site(sb, monkeypatch, cache)
    for name, value in pd_env(sb).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PAGERDUTY_EVENTS_URL", raising=False)
    pd = pd_client_for(sb, PD_TOKEN)
    pagerduty_services(pd, [s.name for s in policy.services.values()])
    return Site(sb, policy, pd)


def pd_env(sb: Sandbox) -> dict[str, str]:
    return {"PAGERDUTY_API_KEY": PD_TOKEN, "PAGERDUTY_URL": sb.url}


def pagerduty_services(pd: Any, names: list[str]) -> None:
    user = pd.rpost(
        "users", json={"user": {"type": "user", "name": "Anna", "email": "anna@northwind.example"}}
    )
    rule = {
        "escalation_delay_in_minutes": 30,
        "targets": [{"id": user["id"], "type": "user_reference"}],
    }
    ep = pd.rpost("escalation_policies", json={"escalation_policy": {
        "type": "escalation_policy", "name": "Default", "escalation_rules": [rule]}})  # fmt: skip
    for name in names:
        svc = pd.rpost("services", json={"service": {"type": "service", "name": name,
            "escalation_policy": {"id": ep["id"], "type": "escalation_policy_reference"}}})  # fmt: skip
        if name != WITHOUT_EVENTS:
            pd.rpost(f"services/{svc['id']}/integrations", json={"integration": {
                "type": "events_api_v2_inbound_integration", "name": "Events API v2"}})  # fmt: skip


def clock(metric: Metric, state: State, *, remaining: int = -900, paused: bool = False) -> Clock:
    start = NOW - dt.timedelta(hours=4)
    deadline = None if paused else NOW + dt.timedelta(seconds=remaining)
    return Clock(metric, Duration(seconds=3600, text="1h"), start, None, deadline,
                 3600 - remaining, remaining, state)  # fmt: skip


def ticket(key: str, *clocks: Clock, tier: str = "Premium", priority: str = "P3",
           service: str | None = "storage-api", customer: str | None = "harbor-dental") -> Ticket:  # fmt: skip
    return Ticket(key, "Archive unreachable", "Open", priority, tier, f"customer {customer}",
                  customer, service, NOW - dt.timedelta(hours=4), NOW, clocks=clocks)  # fmt: skip


def with_priority(t: Ticket, priority: str) -> Ticket:
    return replace(t, priority=priority)


def writes(sb: Sandbox, since: int = 0) -> list[str]:
    """The writes the sandbox was sent after position `since` of its log."""
    return [f"{e.method} {e.path}" for e in sb.log.snapshot()[since:]
            if e.method in WRITES and not e.path.startswith("/_sandbox")
            and not e.path.endswith(READS_BY_POST)]  # fmt: skip


@dataclass
class WriteGate:
    """WSGI middleware in front of the sandbox: lets `allowed` writes through, then answers
    503 to every request (reads too), as if the process had died mid-run: nothing it would
    have sent after that arrives."""

    app: Callable[..., Iterable[bytes]]
    allowed: int | None = None
    seen: list[str] = field(default_factory=list)
    down: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        write = environ["REQUEST_METHOD"] in WRITES and not path.endswith(READS_BY_POST)
        with self.lock:
            if self.allowed is not None and not path.startswith("/_sandbox"):
                if write and len(self.seen) >= self.allowed:
                    self.down = True
                if self.down:
                    start_response("503 Service Unavailable", [("Content-Length", "0")])
                    return [b""]
                if write:
                    self.seen.append(path)
        return self.app(environ, start_response)

    def open(self) -> None:
        with self.lock:
            self.allowed, self.down = None, False
            self.seen.clear()


def gate(sb: Sandbox) -> WriteGate:
    server = sb._server
    assert server is not None
    found = WriteGate(server.app)
    server.app = found
    return found
