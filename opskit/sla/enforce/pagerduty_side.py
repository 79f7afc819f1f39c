"""PagerDuty for enforce: each service's Events API v2 routing key, and triggering.

Routing keys are read over REST (`GET /services?include[]=integrations`, once a run): the
first integration of type `events_api_v2_inbound_integration` of the service named as the
policy names it. A service with none is not paged (a warning); no key is ever invented,
printed or logged. Events go to PAGERDUTY_EVENTS_URL, else the events host beside
PAGERDUTY_URL (`api.` -> `events.`; a sandbox serves both on one URL).

A trigger names its dedup key, so sending it again (after an unclear failure, or a crash
before the ticket recorded it) adds to the same open incident instead of opening another.
"""

from __future__ import annotations

import logging
import os
import random
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pagerduty import EventsApiV2Client
from pagerduty.errors import Error as PagerDutyError
from pagerduty.errors import HttpError

from opskit.errors import ExitCode, OpskitError
from opskit.providers.pagerduty.client import DEFAULT_URL, Api
from opskit.sync.apply import TargetError
from opskit.sync.environment import retry_base_seconds, tls_context
from opskit.sync.throttle import RateLimiter, RetryPolicy, should_retry

EVENTS_V2 = "events_api_v2_inbound_integration"
DEFAULT_EVENTS_URL = "https://events.pagerduty.com"


def routing_keys(api: Api) -> dict[str, str | None]:
    """Service name -> its Events API v2 integration key (None: it has none)."""
    out: dict[str, str | None] = {}
    for service in api.pages("/services", {"include[]": ["integrations"]}):
        keys = [
            str(i["integration_key"])
            for i in service.get("integrations") or []
            # full objects under include[]; some answers keep the reference type name
            if str(i.get("type", "")).removesuffix("_reference") == EVENTS_V2
            and i.get("integration_key")
        ]
        out[str(service["name"])] = keys[0] if keys else None
    return out


def events_url() -> str:
    explicit = os.environ.get("PAGERDUTY_EVENTS_URL")
    if explicit:
        url = explicit
    else:
        rest = urlsplit(os.environ.get("PAGERDUTY_URL", DEFAULT_URL))
        host = rest.netloc
        url = urlunsplit(
            (rest.scheme, "events." + host[4:] if host.startswith("api.") else host, "", "", "")
        )
    if not url.startswith("https://"):
        raise OpskitError("PAGERDUTY_EVENTS_URL must be an https:// URL", ExitCode.USAGE)
    return url.rstrip("/")


@dataclass(frozen=True, slots=True)
class Trigger:
    """A PagerDuty event for a clock at risk or breached, deduplicated by its key."""

    routing_key: str
    dedup_key: str
    summary: str
    severity: str  # warning (at risk) or critical (breached)
    details: dict[str, str]
    link: str


class Events:
    """Events API v2, paced and retried by opskit's rules (the trigger is idempotent)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or events_url()
        self.limiter = RateLimiter(per_minute=120.0)
        self.policy = RetryPolicy(base=retry_base_seconds())
        self.rng = random.Random()

    def _client(self, routing_key: str) -> EventsApiV2Client:
        client = EventsApiV2Client(routing_key, base_url=self.url, verify=tls_context() or True)
        client.retry = {429: 1}  # each request once; pacing and retries are ours
        client.max_http_attempts = -1
        client.max_network_attempts = 0
        if client.log is not None:
            client.log.setLevel(logging.CRITICAL)
        return client

    def trigger(self, event: Trigger) -> None:
        body: dict[str, Any] = {
            "event_action": "trigger",
            "dedup_key": event.dedup_key,
            "payload": {"summary": event.summary[:1024], "source": "opskit sla enforce",
                        "severity": event.severity, "custom_details": event.details},
            "links": [{"href": event.link, "text": "Jira ticket"}],
        }  # fmt: skip
        self.send(event.routing_key, body)

    def send(
        self, routing_key: str, body: dict[str, Any], *,
        unclear: type[TargetError] = TargetError,
    ) -> None:  # fmt: skip
        """One event (any action; `body` without the routing key), paced and retried;
        `unclear` is raised when PagerDuty could not be reached (the event may have landed)."""
        client = self._client(routing_key)
        what = f"POST /v2/enqueue ({body.get('event_action')} {body.get('dedup_key')})"
        for attempt in range(self.policy.attempts):
            self.limiter.acquire()
            response: Any
            try:
                response = client.post("/v2/enqueue", json={"routing_key": routing_key, **body})
            except HttpError as error:
                response = error.response
            except PagerDutyError as error:
                if attempt + 1 < self.policy.attempts:
                    self.limiter.sleep(self.policy.delay(attempt, None, self.rng))
                    continue
                raise unclear(f"{what}: cannot reach PagerDuty ({type(error).__name__})") from None
            if response is None:
                raise TargetError(f"{what}: no answer from PagerDuty")
            hint = self.limiter.observe(response.status_code, response.headers)
            if response.status_code < 300:
                return
            if attempt + 1 < self.policy.attempts and should_retry("PUT", response.status_code):
                self.limiter.sleep(self.policy.delay(attempt, hint, self.rng))
                continue
            raise TargetError(f"{what}: {response.status_code} {_message(response)}")
        raise AssertionError("unreachable")


def _message(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        return "unexpected answer"
    errors = "; ".join(str(e) for e in body.get("errors", [])) if isinstance(body, dict) else ""
    text = str(body.get("message", "refused")) if isinstance(body, dict) else "refused"
    return text + (f": {errors}" if errors else "")
