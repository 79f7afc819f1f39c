"""Client fixtures for the sandbox, reusable from other test folders' conftest files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jira import JIRA, JIRAError
from pagerduty import EventsApiV2Client, RestApiV2Client

from opskit.sandbox import Sandbox
from opskit.sandbox.pytest_plugin import *  # noqa: F403

JIRA_EMAIL = "anna@northwind.example"
JIRA_TOKEN = "sandbox-token"
PD_FROM = "anna@northwind.example"


def pd_client_for(sb: Sandbox, token: str = "sandbox-token") -> RestApiV2Client:
    # The client refuses http:// base URLs, so the sandbox serves TLS from a throwaway CA and
    # the client is told to trust it (httpx2's ``verify``); requests on the wire are unchanged.
    return RestApiV2Client(
        token, default_from=PD_FROM, base_url=sb.url, verify=sb.client_ssl_context()
    )


def events_client_for(sb: Sandbox, routing_key: str) -> EventsApiV2Client:
    return EventsApiV2Client(routing_key, base_url=sb.url, verify=sb.client_ssl_context())


def jira_client_for(sb: Sandbox, **options: object) -> JIRA:
    return JIRA(
        server=sb.url,
        basic_auth=(JIRA_EMAIL, JIRA_TOKEN),
        options={"verify": str(sb.ca_path), **options},
        max_retries=0,
    )


def error_body(err: JIRAError) -> Any:
    """The JSON body of a failed Jira call."""
    assert err.response is not None
    return err.response.json()


@pytest.fixture
def pd(sandbox: Sandbox) -> Iterator[RestApiV2Client]:
    client = pd_client_for(sandbox)
    yield client
    client.close()


@pytest.fixture
def jira(sandbox: Sandbox) -> JIRA:
    return jira_client_for(sandbox)
