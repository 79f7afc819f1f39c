"""Rate limits, injected faults, the request log and the admin endpoints."""

from __future__ import annotations

from collections.abc import Callable

import httpx2
import pytest
from jira import JIRAError

from opskit.sandbox import Sandbox
from opskit.sandbox.faults import FaultConfig
from opskit.sandbox.ratelimit import TokenBucket
from tests.sandbox.fixtures import jira_client_for

PD = {"Authorization": "Token token=key-1", "Accept": "application/vnd.pagerduty+json;version=2"}

Factory = Callable[..., Sandbox]


def raw(sb: Sandbox) -> httpx2.Client:
    return httpx2.Client(base_url=sb.url, verify=sb.client_ssl_context())


def test_token_bucket_refills_over_time() -> None:
    now = [0.0]
    bucket = TokenBucket(2, 60.0, clock=lambda: now[0])
    assert [bucket.take("k").allowed for _ in range(3)] == [True, True, False]
    assert bucket.take("other").allowed  # buckets are per key
    denied = bucket.take("k")
    assert denied.remaining == 0 and denied.reset_seconds == 30
    now[0] += 30
    assert bucket.take("k").allowed


def test_pagerduty_429_has_ratelimit_headers_per_key(sandbox_factory: Factory) -> None:
    sb = sandbox_factory(pd_rate_per_minute=2)
    with raw(sb) as client:
        first = client.get("/priorities", headers=PD)
        assert first.headers["ratelimit-limit"] == "2"
        assert first.headers["ratelimit-remaining"] == "1"
        client.get("/priorities", headers=PD)
        limited = client.get("/priorities", headers=PD)
        other_key = client.get("/priorities", headers={**PD, "Authorization": "Token token=k2"})
    assert limited.status_code == 429
    assert limited.json()["error"]["message"] == "Rate Limit Exceeded"
    assert int(limited.headers["ratelimit-reset"]) >= 1
    assert other_key.status_code == 200


def test_jira_429_has_retry_after(sandbox_factory: Factory) -> None:
    sb = sandbox_factory(jira_rate_per_minute=2)
    client = jira_client_for(sb)  # serverInfo + this call use up the budget
    with pytest.raises(JIRAError) as limited:
        client.myself()
        client.myself()
    assert limited.value.status_code == 429
    assert limited.value.response is not None
    assert int(limited.value.response.headers["Retry-After"]) >= 1


def test_admin_changes_rate_limits(sandbox: Sandbox) -> None:
    with raw(sandbox) as client:
        assert (
            client.put("/_sandbox/ratelimits", json={"pagerduty_per_minute": 0}).status_code == 400
        )
        client.put("/_sandbox/ratelimits", json={"pagerduty_per_minute": 1})
        codes = [client.get("/priorities", headers=PD).status_code for _ in range(2)]
        limits = client.get("/_sandbox/ratelimits").json()
    assert codes == [200, 429]
    assert limits == {"pagerduty_per_minute": 1, "jira_per_minute": 6000}


def _statuses(sb: Sandbox, n: int) -> list[int]:
    with raw(sb) as client:
        return [client.get("/priorities", headers=PD).status_code for _ in range(n)]


def test_faults_are_deterministic_under_a_seed(sandbox_factory: Factory) -> None:
    config = FaultConfig(rate_500=0.3, rate_503=0.2, seed=42)
    first = _statuses(sandbox_factory(faults=config), 30)
    second = _statuses(sandbox_factory(faults=config), 30)
    assert first == second
    assert {200, 500, 503} <= set(first)
    assert _statuses(sandbox_factory(faults=FaultConfig(rate_500=0.3, seed=1)), 30) != first


def test_dropped_connections_and_latency(sandbox_factory: Factory) -> None:
    sb = sandbox_factory(faults=FaultConfig(rate_drop=1.0))
    with raw(sb) as client, pytest.raises(httpx2.TransportError):
        client.get("/priorities", headers=PD)
    assert [(e.fault, e.status) for e in sb.log.snapshot()] == [("drop", 0)]
    slow = sandbox_factory(faults=FaultConfig(latency_ms=40, latency_rate=1.0))
    assert _statuses(slow, 1) == [200]
    assert slow.log.snapshot()[0].duration_ms >= 40


def test_admin_endpoints_configure_faults_and_read_counters(sandbox: Sandbox) -> None:
    with raw(sandbox) as client:
        assert client.put("/_sandbox/faults", json={"rate_500": 2}).status_code == 400
        assert client.put("/_sandbox/faults", json={"bogus": 1}).status_code == 400
        set_ = client.put("/_sandbox/faults", json={"rate_503": 1.0, "seed": 3})
        assert set_.json()["rate_503"] == 1.0
        assert client.get("/priorities", headers=PD).status_code == 503
        client.put("/_sandbox/faults", json={"rate_503": 0.0})
        assert client.get("/priorities", headers=PD).status_code == 200
        counters = client.get("/_sandbox/counters").json()["counters"]
        log = client.get("/_sandbox/requests").json()["requests"]
        last = client.get("/_sandbox/requests", params={"limit": 1, "bodies": 1}).json()
    assert counters["GET /priorities"] == 2
    assert counters["status 503"] == 1 and counters["status 200"] == 1
    assert [(r["status"], r["fault"]) for r in log] == [(503, "503"), (200, None)]
    assert sandbox.log.counts() == counters
    assert '"priorities"' in last["requests"][0]["response_body"]
