"""`http`: call an HTTP endpoint.

Values: `url` (https://, or http:// to 127.0.0.1 / localhost / ::1 only), `method`
(default POST with a `json` body, else GET), `json` (the body), `headers` (name -> a
literal string, or `{env: VARIABLE}` for a secret read from the environment when the step
runs: its value is never journaled, printed, or kept in outputs), `expect_status`
(default any 2xx), `timeout` (a duration such as 30s, or seconds; default 30s),
`idempotent` (true when the server honours `Idempotency-Key`).

Every request carries `Idempotency-Key: <ctx.mark>`. Redirects are not followed (a
secret header must not go to another host). When an earlier attempt was cut off
(`in_flight`), the request is sent again with the same key if the step says
`idempotent: true`; otherwise the engineer is asked first (declined: the step is
skipped).

Outputs: `status`, `body` (the response text, first 64 KiB, with any secret header value
replaced by `***`), `truncated`, `json` (the body parsed, when it is whole JSON),
`idempotency_key`.
"""

from __future__ import annotations

import contextlib
import json as jsonlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from opskit.playbooks.step_api import StepContext, StepFailed, StepResult
from opskit.playbooks.steps import targets
from opskit.policy.values import parse_duration
from opskit.sync.environment import ca_bundle

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_BODY = 64 * 1024
DEFAULT_TIMEOUT = 30.0


def check_url(raw: str) -> str:
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
    except ValueError:
        raise StepFailed(f"`url` is not a URL: {raw[:100]!r}") from None
    if parts.scheme == "https" and host:
        return raw
    if parts.scheme == "http" and host in LOOPBACK:
        return raw
    raise StepFailed(f"`url` must be https:// (http:// only to localhost): {raw[:100]!r}")


def timeout_of(values: Mapping[str, Any]) -> float:
    raw = values.get("timeout")
    if raw is None:
        return DEFAULT_TIMEOUT
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        seconds = float(raw)
    else:
        try:
            duration = parse_duration(str(raw), at_least_seconds=1)
        except ValueError as error:
            raise StepFailed(f"`timeout`: {error}") from None
        if duration.business_days:
            raise StepFailed("`timeout` must be in s, m or h")
        seconds = float(duration.seconds)
    if not 0 < seconds <= 3600:
        raise StepFailed("`timeout` must be more than 0 and at most 1h")
    return seconds


def headers_of(
    values: Mapping[str, Any], env: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The request's headers, and the secret values among them (to keep out of outputs)."""
    raw = values.get("headers") or {}
    if not isinstance(raw, Mapping):
        raise StepFailed("`headers` must be a mapping of name to value or {env: VARIABLE}")
    out: dict[str, str] = {}
    secrets: list[str] = []
    for name, value in raw.items():
        if isinstance(value, Mapping):
            variable = value.get("env")
            if not isinstance(variable, str) or not variable or set(value) - {"env", "prefix"}:
                raise StepFailed(f"header {name}: write {{env: VARIABLE}} (and optionally prefix)")
            secret = env.get(variable)
            if not secret:
                raise StepFailed(f"header {name}: environment variable {variable} is not set")
            prefix = value.get("prefix") or ""
            out[str(name)] = f"{prefix}{secret}"
            secrets.append(secret)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            out[str(name)] = str(value)
        else:
            raise StepFailed(f"header {name}: a string or {{env: VARIABLE}}")
    for name, value in out.items():
        if "\n" in value or "\r" in value:
            raise StepFailed(f"header {name}: a value on one line")
    return out, secrets


def redact(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


class Http:
    def describe(self, values: Mapping[str, Any]) -> str:
        method = str(values.get("method") or ("POST" if "json" in values else "GET")).upper()
        expect = values.get("expect_status")
        return f"HTTP: {method} {values.get('url') or '?'}" + (
            f" (expects {expect})" if expect else ""
        )

    def execute(self, ctx: StepContext) -> StepResult:
        values = ctx.values
        url = check_url(targets.text(values, "url"))
        default = "POST" if "json" in values else "GET"
        method = targets.choice(
            {"method": str(values.get("method") or default).upper()}, "method", METHODS, default
        )
        expect = values.get("expect_status")
        if expect is not None and (not isinstance(expect, int) or isinstance(expect, bool)):
            raise StepFailed("`expect_status` must be a number such as 201")
        timeout = timeout_of(values)
        headers, secrets = headers_of(values, ctx.env)
        headers["Idempotency-Key"] = ctx.mark
        if ctx.in_flight and values.get("idempotent") is not True:
            again = ctx.io.confirm(
                f"{method} {url} may have been sent already (the run stopped during it). "
                "Send it again?"
            )
            if not again:
                return StepResult(
                    "skipped",
                    {"idempotency_key": ctx.mark},
                    message=f"{method} {url} not sent again (the engineer said no)",
                )
        kwargs: dict[str, Any] = {}
        if "json" in values:
            kwargs["json"] = values["json"]
        try:
            response = requests.request(
                method, url, headers=headers, timeout=timeout, allow_redirects=False,
                verify=ca_bundle() or True, stream=True, **kwargs,
            )  # fmt: skip
            try:
                raw = response.raw.read(MAX_BODY + 1, decode_content=True) or b""
            finally:
                response.close()
        except requests.Timeout:
            raise StepFailed(f"{method} {url}: no answer within {timeout:g}s") from None
        except requests.RequestException as error:
            raise StepFailed(f"{method} {url}: cannot reach it ({type(error).__name__})") from None
        truncated = len(raw) > MAX_BODY
        body = redact(raw[:MAX_BODY].decode(response.encoding or "utf-8", "replace"), secrets)
        outputs: dict[str, Any] = {
            "status": response.status_code, "body": body, "truncated": truncated,
            "idempotency_key": ctx.mark,
        }  # fmt: skip
        if not truncated and body.strip():
            with contextlib.suppress(ValueError):
                outputs["json"] = jsonlib.loads(body)
        ok = (
            response.status_code == expect
            if expect is not None
            else 200 <= response.status_code < 300
        )
        line = f"{method} {url}: {response.status_code}"
        if not ok:
            wanted = str(expect) if expect is not None else "2xx"
            snippet = " ".join(body.split())[:200]
            return StepResult(
                "failed", outputs, message=f"{line}, expected {wanted}: {snippet}".rstrip(": ")
            )
        return StepResult("done", outputs, message=line)
