"""The checks a `wait` with `until` repeats: each a read that changes nothing, so a run
killed between two checks simply checks again (nothing to adopt, no mark needed).

- `acknowledged: <step>` / `resolved: <step>`: the PagerDuty incident of an earlier
  `page` or `notify` step (its dedup key), read over REST; acknowledged passes once it is
  acknowledged or resolved.
- `http: {url, expect_status, headers}`: a GET (no redirects) passes on `expect_status`,
  else any 2xx; a refused connection or a timeout is a check that did not pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import requests

from opskit.playbooks.step_api import StepContext, StepFailed
from opskit.playbooks.steps import targets
from opskit.playbooks.steps.http import check_url, headers_of
from opskit.sync.environment import ca_bundle

Check = Callable[[], tuple[bool, str]]  # passed?, what it saw (one short line)
CHECK_TIMEOUT = 10.0
PASSING = {"acknowledged": ("acknowledged", "resolved"), "resolved": ("resolved",)}


def describe(until: Mapping[str, Any]) -> str:
    if "http" in until:
        http = until["http"] if isinstance(until["http"], Mapping) else {}
        expect = http.get("expect_status") or "2xx"
        return f"GET {http.get('url') or '?'} answers {expect}"
    for name in PASSING:
        if name in until:
            return f"the incident of step {until[name]} is {name}"
    return "?"


def check_of(ctx: StepContext, until: Any) -> Check:
    if not isinstance(until, Mapping) or len(until) != 1:
        raise StepFailed("`until` needs exactly one of acknowledged, resolved, http")
    [(name, value)] = until.items()
    if name in PASSING:
        return _incident(ctx, str(name), str(value))
    if name == "http" and isinstance(value, Mapping):
        return _http(ctx, value)
    raise StepFailed(f"`until`: unknown check {str(name)[:40]!r} (acknowledged, resolved, http)")


def _incident(ctx: StepContext, name: str, step: str) -> Check:
    from opskit.playbooks.steps.page import find_incident
    from opskit.providers.pagerduty.client import connect

    key = targets.outputs_of(ctx, step).get("dedup_key")
    if not isinstance(key, str) or not key:
        raise StepFailed(f"step {step!r} recorded no dedup_key")
    with targets.remote("PagerDuty"):
        api = connect()

    def check() -> tuple[bool, str]:
        with targets.remote(f"PagerDuty: the incident of step {step}"):
            incident = find_incident(api, key)
        if incident is None:
            return False, "no incident has its dedup key yet"
        status = str(incident.get("status"))
        return status in PASSING[name], f"incident #{incident.get('incident_number')} {status}"

    return check


def _http(ctx: StepContext, values: Mapping[str, Any]) -> Check:
    url = check_url(targets.text(values, "url"))
    expect = values.get("expect_status")
    if expect is not None and (not isinstance(expect, int) or isinstance(expect, bool)):
        raise StepFailed("`expect_status` must be a number such as 200")
    headers, _ = headers_of(values, ctx.env)

    def check() -> tuple[bool, str]:
        try:
            response = requests.get(url, headers=headers, timeout=CHECK_TIMEOUT,
                                    allow_redirects=False, verify=ca_bundle() or True)  # fmt: skip
            response.close()
        except requests.Timeout:
            return False, f"GET {url}: no answer within {CHECK_TIMEOUT:g}s"
        except requests.RequestException as error:
            return False, f"GET {url}: cannot reach it ({type(error).__name__})"
        status = response.status_code
        passed = status == expect if expect is not None else 200 <= status < 300
        return passed, f"GET {url}: {status}"

    return check
