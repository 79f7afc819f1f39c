"""A small service-desk site for the Jira emulation tests: SUP with a component, a select
and a multi-select field, an organisation, a second user, and a clock the test moves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from jira import JIRA

from opskit.sandbox import Sandbox
from tests.sandbox.fixtures import jira_client_for

SELECT = "com.atlassian.jira.plugin.system.customfieldtypes:select"
MULTI = "com.atlassian.jira.plugin.system.customfieldtypes:multiselect"


class DeskClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 7, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@dataclass
class Desk:
    sb: Sandbox
    jc: JIRA
    clock: DeskClock
    tier: str  # field ids
    regions: str
    options: dict[str, str]  # option value -> id
    org: str
    bob: str  # account ids
    anna: str

    def url(self, path: str, version: str = "2") -> str:
        if path.startswith("/rest/"):
            return self.sb.url + path
        return f"{self.sb.url}/rest/api/{version}/{path.lstrip('/')}"

    def call(self, method: str, path: str, version: str = "2", **kw: Any) -> requests.Response:
        """A plain request as the signed-in user; no exception on error statuses."""
        session: requests.Session = self.jc._session
        kw.setdefault("verify", str(self.sb.ca_path))
        return requests.Session.request(session, method, self.url(path, version), **kw)

    def issue(self, summary: str = "Printer on fire", **fields: Any) -> Any:
        return self.jc.create_issue(
            fields={
                "project": {"key": "SUP"},
                "summary": summary,
                "issuetype": {"name": "Service Request"},
                **fields,
            }
        )


def _field(jc: JIRA, name: str, kind: str, values: list[str]) -> tuple[str, dict[str, str]]:
    s = jc._session
    field = s.post(jc._get_url("field"), json={"name": name, "type": kind}).json()
    ctx = s.post(jc._get_url(f"field/{field['id']}/context"), json={"name": "Default"}).json()
    made = s.post(
        jc._get_url(f"field/{field['id']}/context/{ctx['id']}/option"),
        json={"options": [{"value": v} for v in values]},
    ).json()
    return field["id"], {o["value"]: o["id"] for o in made["options"]}


@pytest.fixture
def desk_clock() -> DeskClock:
    return DeskClock()


@pytest.fixture
def desk(sandbox_factory: Callable[..., Sandbox], desk_clock: DeskClock) -> Desk:
    sb = sandbox_factory(clock=desk_clock)
    jc = jira_client_for(sb)
    bob_client = JIRA(
        server=sb.url, basic_auth=("bob@northwind.example", "t"),
        options={"verify": str(sb.ca_path)}, max_retries=0,
    )  # fmt: skip
    bob = bob_client.myself()["accountId"]
    anna = jc.myself()["accountId"]
    s = jc._session
    s.post(jc._get_url("project"), json={"key": "SUP", "name": "Support",
           "projectTypeKey": "service_desk", "leadAccountId": anna})  # fmt: skip
    s.post(jc._get_url("component"), json={"project": "SUP", "name": "Billing"})
    s.post(jc._get_url("component"), json={"project": "SUP", "name": "Storage API"})
    tier, tiers = _field(jc, "Support tier", SELECT, ["Premium", "Standard"])
    regions, more = _field(jc, "Regions", MULTI, ["EU", "US"])
    org = s.post(f"{sb.url}/rest/servicedeskapi/organization", json={"name": "Contoso"},
                 headers={"X-ExperimentalApi": "opt-in"}).json()  # fmt: skip
    return Desk(sb, jc, desk_clock, tier, regions, {**tiers, **more}, org["id"], bob, anna)
