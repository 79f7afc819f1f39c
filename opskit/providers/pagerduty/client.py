"""The official PagerDuty client, paced and retried by opskit's rules.

The client on its own retries a 429 without end on a fixed backoff, ignores
`ratelimit-reset`, and does not retry 5xx. We let it make each request once and
decide here; what goes over the wire is the client's own.
"""

from __future__ import annotations

import logging
import os
import random
import ssl
from collections.abc import Iterator
from typing import Any

from pagerduty import RestApiV2Client
from pagerduty.errors import Error as PagerDutyError
from pagerduty.errors import HttpError

from opskit.errors import ExitCode, OpskitError
from opskit.sync.apply import TargetError, UnclearWrite
from opskit.sync.environment import retry_base_seconds, tls_context
from opskit.sync.throttle import RateLimiter, RetryPolicy, should_retry

DEFAULT_URL = "https://api.pagerduty.com"
PAGE = 100


class Api:
    def __init__(self, client: RestApiV2Client, limiter: RateLimiter, policy: RetryPolicy) -> None:
        self.client, self.limiter, self.policy = client, limiter, policy
        self.rng = random.Random()
        self.requests = 0

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One logical call: paced, retried within bounds, errors as TargetError."""
        for attempt in range(self.policy.attempts):
            self.limiter.acquire()
            self.requests += 1
            try:
                response = self.client.request(method, path, **kwargs)
            except HttpError as error:  # the client raises for 401 itself
                if error.response is None:
                    raise TargetError(f"{method} {path}: no answer from PagerDuty") from None
                response = error.response
            except PagerDutyError as error:  # the connection failed: no status
                if attempt + 1 < self.policy.attempts and should_retry(method, None):
                    self.limiter.sleep(self.policy.delay(attempt, None, self.rng))
                    continue
                failure = UnclearWrite if method != "GET" else TargetError  # it may have arrived
                raise failure(
                    f"{method} {path}: cannot reach PagerDuty ({type(error).__name__})"
                ) from None
            self.limiter.observe(
                response.status_code, response.headers
            )  # it holds the next request back
            status = response.status_code
            if status == 401:
                raise OpskitError(
                    "PagerDuty refused the API key (401): check PAGERDUTY_API_KEY", ExitCode.RUNTIME
                )
            if status < 400:
                return response.json() if response.content else None
            if attempt + 1 < self.policy.attempts and should_retry(method, status):
                self.limiter.sleep(self.policy.delay(attempt, None, self.rng))
                continue
            failure = UnclearWrite if method == "POST" and status >= 500 else TargetError
            raise failure(f"{method} {path}: {status} {_error_text(response)}")
        raise AssertionError("unreachable")

    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a list endpoint, 100 a page (the items sit under the path's last word)."""
        key = path.rsplit("/", 1)[-1]
        offset = 0
        while True:
            body = self.call(
                "GET", path, params={**(params or {}), "limit": PAGE, "offset": offset}
            )
            yield from body.get(key, [])
            if not body.get("more"):
                return
            offset += PAGE


def _error_text(response: Any) -> str:
    try:
        error = response.json().get("error", {})
    except ValueError:
        return "unexpected answer"
    details = "; ".join(str(e) for e in error.get("errors", []))
    return f"{error.get('message', 'error')}" + (f": {details}" if details else "")


def connect(*, per_minute: float = 900.0, default_from: str | None = None) -> Api:
    """A client from the environment: PAGERDUTY_API_KEY, and PAGERDUTY_URL for a sandbox.

    `default_from` is the From header the client sends on every request: PagerDuty
    needs the email of one of the account's users to create users (see settings).
    """
    key = os.environ.get("PAGERDUTY_API_KEY")
    if not key:
        raise OpskitError("PAGERDUTY_API_KEY is not set", ExitCode.USAGE)
    url = os.environ.get("PAGERDUTY_URL", DEFAULT_URL)
    if not url.startswith("https://"):
        raise OpskitError("PAGERDUTY_URL must be an https:// URL", ExitCode.USAGE)
    verify: ssl.SSLContext | bool = tls_context() or True
    client = RestApiV2Client(key, default_from=default_from, base_url=url, verify=verify)
    # Each request is made once by the client; pacing and retries are ours.
    client.retry = {429: 1}
    client.max_http_attempts = -1
    client.max_network_attempts = 0
    # Its log lines would repeat (noisily, on stderr) what our errors already say.
    if client.log is not None:
        client.log.setLevel(logging.CRITICAL)
    # Tests and impatient CI jobs may shorten the backoff; the bounds stay the same.
    return Api(client, RateLimiter(per_minute=per_minute), RetryPolicy(base=retry_base_seconds()))
