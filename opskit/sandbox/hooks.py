"""Per-request hooks every real service has: authentication, rate limits, injected
faults and the request log."""

from __future__ import annotations

import base64
import contextlib
import socket
import time

from flask import Response, g, request

from opskit.sandbox.body import BodyError, check_media_type, read_body
from opskit.sandbox.errors import JiraError, PdError, family_for_path, generic_error
from opskit.sandbox.reqlog import Exchange
from opskit.sandbox.state import SandboxState, state

_UNAUTHENTICATED = ("/rest/api/2/serverInfo", "/rest/api/3/serverInfo")


_FAULT_TEXT = {
    "429": "Rate Limit Exceeded",
    "500": "Internal Server Error",
    "502": "Bad Gateway",
    "503": "Service Unavailable",
}


def _credential(family: str) -> str | None:
    auth = request.headers.get("Authorization", "")
    if family == "pagerduty":
        prefix = "Token token="
        return auth[len(prefix) :] if auth.startswith(prefix) and len(auth) > len(prefix) else None
    if family in ("jira", "jsm") and auth.startswith("Basic "):
        try:
            user, _, token = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            return None
        return user if user and token else None
    return None


def _drop_connection() -> None:
    sock = request.environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def before_request() -> Response | None:
    g.started = time.perf_counter()
    family = family_for_path(request.path)
    g.family = family
    if family in ("admin", "web"):
        return None
    st: SandboxState = state()
    body, too_large = b"", None
    try:
        body = read_body()
    except BodyError as err:
        too_large = err
    g.exchange = Exchange(
        method=request.method,
        path=request.path,
        query=list(request.args.items(multi=True)),
        headers=dict(request.headers.items()),
        body=body,
        route=request.url_rule.rule if request.url_rule else "",
        api=family,
    )
    if too_large is not None:
        # Logged without the body, at the size it claimed (or at least had, if chunked).
        g.exchange.body_size = too_large.size
        raise too_large
    key = _credential(family)
    fault, latency = st.faults.draw()
    if latency:
        time.sleep(latency)
    if fault == "drop":
        # Logged first: the client sees the disconnect before this thread could log later.
        g.exchange.fault = "drop"
        g.exchange.duration_ms = (time.perf_counter() - g.started) * 1000
        st.log.add(g.exchange)
        g.exchange = None
        _drop_connection()
        return Response(status=500)
    if family == "pagerduty":
        decision = st.pd_limit.take(key or "-")
        g.ratelimit = decision
        if not decision.allowed:
            raise PdError(429, "Rate Limit Exceeded", 2020)
    elif family == "jira" or family == "jsm":
        decision = st.jira_limit.take(key or "-")
        if not decision.allowed:
            g.retry_after = decision.reset_seconds
            raise JiraError(429, ["Rate limit exceeded."])
    if fault is not None:
        g.exchange.fault = fault
        if fault == "429":
            g.retry_after = 1
        raise generic_error(request.path, int(fault), _FAULT_TEXT[fault])
    if key is None and request.path not in _UNAUTHENTICATED and family != "events":
        raise generic_error(request.path, 401, "Unauthorized")
    if request.url_rule is not None:
        check_media_type(body)  # on every route, whether or not it reads its body
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        st.store.hold()
        g.holding_store = True
    return None


def teardown_request(exc: BaseException | None) -> None:
    if g.pop("holding_store", False):
        state().store.release()


def after_request(response: Response) -> Response:
    decision = g.get("ratelimit")
    if decision is not None:
        response.headers["ratelimit-limit"] = str(decision.limit)
        response.headers["ratelimit-remaining"] = str(decision.remaining)
        response.headers["ratelimit-reset"] = str(decision.reset_seconds)
    retry_after = g.get("retry_after")
    if retry_after is not None and g.get("family") in ("jira", "jsm"):
        response.headers["Retry-After"] = str(retry_after)
    exchange: Exchange | None = g.get("exchange")
    if exchange is not None:
        exchange.status = response.status_code
        exchange.response_headers = dict(response.headers.items())
        exchange.response_body = b"" if response.is_streamed else response.get_data()
        exchange.duration_ms = (time.perf_counter() - g.started) * 1000
        state().log.add(exchange)
    return response
