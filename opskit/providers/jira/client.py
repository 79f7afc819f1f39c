"""The `jira` client over its own session, paced and retried by opskit's rules.

The library covers components and reading priorities; everything it lacks goes
to REST through the same session, so auth, TLS and error handling stay one
thing. Its own retry loop is off (it sleeps up to a minute per try and never
retries a 5xx): each request is made once by the session and retried here.
"""

from __future__ import annotations

import logging
import os
import random
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from jira import JIRA, JIRAError
from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.exceptions import RequestException

from opskit.errors import ExitCode, OpskitError
from opskit.providers.jira.errors import error_text
from opskit.sync.apply import TargetError, UnclearWrite
from opskit.sync.environment import ca_bundle, retry_base_seconds
from opskit.sync.throttle import RateLimiter, RetryPolicy, should_retry

T = TypeVar("T")
PAGE = 100
JSM_PAGE = 50  # JSM lists answer at most 50 a page


class Api:
    def __init__(self, client: JIRA | None, limiter: RateLimiter, policy: RetryPolicy) -> None:
        self._client, self.limiter, self.policy = client, limiter, policy
        self.rng = random.Random()
        self.requests = 0

    @property
    def client(self) -> JIRA:
        assert self._client is not None, "connect() first"
        return self._client

    @property
    def site(self) -> str:
        return str(self.client.server_url)

    def url(self, path: str) -> str:
        """`/rest/...` paths as given; others under the platform API (`/rest/api/2`)."""
        if path.startswith("/rest/"):
            return self.site + path
        return str(self.client._get_url(path.lstrip("/")))

    def call(
        self, method: str, path: str, *, missing_ok: bool = False, idempotent: bool = False,
        **kwargs: Any,
    ) -> Any:  # fmt: skip
        """One REST call through the client's session; JSON back, errors as TargetError.

        With `missing_ok`, a 404 answers None (a read of something that may not exist);
        `idempotent` marks a POST that may be sent twice (adding a member, linking).
        """
        headers = {"X-ExperimentalApi": "opt-in"} if path.startswith("/rest/servicedeskapi") else {}
        url = self.url(path)

        def send() -> Any:
            response = self.client._session.request(method, url, headers=headers, **kwargs)
            return response.json() if response.content else None

        return self.run(method, path, send, missing_ok=missing_ok, idempotent=idempotent)

    def run(
        self, method: str, what: str, send: Callable[[], T], *, missing_ok: bool = False,
        idempotent: bool = False,
    ) -> T:  # fmt: skip
        """Pace, send, and retry within bounds (a library call or a REST call alike)."""
        retry_as = "PUT" if idempotent else method
        for attempt in range(self.policy.attempts):
            self.limiter.acquire()
            self.requests += 1
            try:
                result = send()
            except JIRAError as error:
                response = error.response
                if response is None:
                    raise TargetError(f"{method} {what}: no answer from Jira") from None
            except (RequestsConnectionError, RequestException) as error:
                if attempt + 1 < self.policy.attempts and should_retry(retry_as, None):
                    self.limiter.sleep(self.policy.delay(attempt, None, self.rng))
                    continue
                failure = UnclearWrite if retry_as == "POST" else TargetError
                raise failure(
                    f"{method} {what}: cannot reach Jira ({type(error).__name__})"
                ) from None
            else:
                return result
            status = response.status_code
            if missing_ok and status == 404:
                return None  # type: ignore[return-value]
            hint = self.limiter.observe(status, response.headers)
            if status in (401, 403) and "/user/search" not in what:
                raise OpskitError(
                    f"Jira refused the credentials ({status}) on {what}: "
                    "check JIRA_EMAIL, JIRA_API_TOKEN and the account's permissions",
                    ExitCode.RUNTIME,
                )
            if attempt + 1 < self.policy.attempts and should_retry(retry_as, status):
                self.limiter.sleep(self.policy.delay(attempt, hint, self.rng))
                continue
            failure = UnclearWrite if retry_as == "POST" and status >= 500 else TargetError
            raise failure(f"{method} {what}: {status} {error_text(response)}")
        raise AssertionError("unreachable")

    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a platform PageBean list (startAt / isLast)."""
        start = 0
        while True:
            body = self.call(
                "GET", path, params={**(params or {}), "startAt": start, "maxResults": PAGE}
            )
            values = body.get("values", [])
            yield from values
            if body.get("isLast", True) or not values:
                return
            start += len(values)

    def jsm_pages(self, path: str) -> Iterator[dict[str, Any]]:
        """Every item of a JSM list (start / isLastPage)."""
        start = 0
        while True:
            body = self.call("GET", path, params={"start": start, "limit": JSM_PAGE})
            values = body.get("values", [])
            yield from values
            if body.get("isLastPage", True) or not values:
                return
            start += len(values)


def connect(*, per_minute: float = 1800.0) -> Api:
    """A client from JIRA_URL, JIRA_EMAIL and JIRA_API_TOKEN (+ OPSKIT_CA_BUNDLE).

    Jira Cloud publishes no fixed rate; we start at 30 requests a second and slow
    down as its X-RateLimit-* and Retry-After headers say.
    """
    missing = [n for n in ("JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN") if not os.environ.get(n)]
    if missing:
        raise OpskitError(f"{', '.join(missing)} not set", ExitCode.USAGE)
    url, email, token = (os.environ[n] for n in ("JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN"))
    if not url.startswith("https://"):
        raise OpskitError("JIRA_URL must be an https:// URL", ExitCode.USAGE)
    options: dict[str, Any] = {"verify": ca_bundle() or True}
    # The library logs retries and failures itself; our errors already say it once.
    logging.getLogger("jira").setLevel(logging.CRITICAL)
    api = Api(None, RateLimiter(per_minute=per_minute), RetryPolicy(base=retry_base_seconds()))

    def make() -> JIRA:
        return JIRA(url, basic_auth=(email, token), options=options, max_retries=0)

    # The constructor reads serverInfo: retried like any other call.
    api._client = api.run("GET", "/rest/api/2/serverInfo", make)
    if api.client.deploymentType != "Cloud":
        raise OpskitError(
            f"{url} is not Jira Cloud (deploymentType {api.client.deploymentType!r}); "
            "opskit supports Jira Cloud only",
            ExitCode.USAGE,
        )
    return api
