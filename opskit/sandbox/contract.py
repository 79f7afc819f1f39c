"""Check recorded sandbox exchanges against the vendors' OpenAPI documents (openapi-core).

Used by the pytest plugin; needs the test-only dependency ``openapi-core``.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from openapi_core import OpenAPI
from openapi_core.configurations import Config
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.request.exceptions import RequestBodyValidationError
from openapi_core.validation.response.exceptions import MissingData
from werkzeug.datastructures import Headers, ImmutableMultiDict

from opskit.sandbox.contract_slips import (
    JIRA_TIME,
    STATUS_SLIPS,
    client_shape_slip,
    discriminator_slip,
    drop_null_slips,
    family_error_shape,
    nullable_body_slip,
    only_read_only_slips,
    patch_document,
    request_headers,
)
from opskit.sandbox.reqlog import Exchange

# api family -> (spec file, the spec's own server URL)
SPECS = {
    "pagerduty": ("pagerduty-rest-openapi.json", "https://api.pagerduty.com"),
    "events": ("pagerduty-events-v2-openapi.json", "https://events.pagerduty.com"),
    "jira": ("jira-platform-openapi.json", "https://your-domain.atlassian.net"),
    "jsm": ("jira-servicemanagement-openapi.json", "https://your-domain.atlassian.net"),
}


@dataclass
class _Request:
    """A logged request in the shape openapi-core checks against a vendor's document."""

    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    body: bytes | None
    content_type: str


@dataclass
class _Response:
    """A logged response in the shape openapi-core checks against a vendor's document."""

    status_code: int
    headers: Headers
    data: bytes | None
    content_type: str


def _spec_path(path: str, api: str) -> str:
    # The jira client speaks REST v2; the published document describes v3 (same shapes for
    # the parts the sandbox serves).
    for older in ("/rest/api/2/", "/rest/api/latest/"):
        if api == "jira" and path.startswith(older):
            return "/rest/api/3/" + path[len(older) :]
    return path


class ContractChecker:
    def __init__(self, spec_dir: Path) -> None:
        # The vendor documents have small slips that strict spec validation rejects (see
        # DESIGN.md); the request/response checks themselves stay strict.
        # (openapi-core accepts None here although its annotation does not say so.)
        config = Config(spec_validator_cls=cast(Any, None))
        self.apps = {
            api: OpenAPI.from_dict(
                patch_document(api, json.loads((spec_dir / name).read_text())), config=config
            )
            for api, (name, _) in SPECS.items()
        }

    def problems(self, exchange: Exchange) -> list[str]:
        """Why this exchange breaks its contract; empty when it keeps it."""
        if exchange.api not in SPECS or exchange.status == 0:
            return []
        app = self.apps[exchange.api]
        request = self._request(exchange)
        with warnings.catch_warnings():
            # openapi-core warns about security schemes it cannot check (OAuth in JSM's).
            warnings.filterwarnings("ignore", "Unsupported scheme type")
            return self._check(app, exchange, request)

    def _check(self, app: OpenAPI, exchange: Exchange, request: _Request) -> list[str]:
        where = f"{exchange.method} {exchange.path} -> {exchange.status}"
        try:
            app.validate_request(request)
        except PathError as err:
            if exchange.status in (404, 405) and not exchange.route:
                return []
            return [f"{where}: request: {err}"]
        except Exception as err:
            # A request the spec forbids is fine if the sandbox refused it, as the real
            # service would; accepting it would be a sandbox bug. A body the log kept only
            # part of (see reqlog) cannot be checked.
            slip = (
                only_read_only_slips(err)
                or discriminator_slip(exchange, err)
                or nullable_body_slip(exchange, err)
                or client_shape_slip(exchange, err)
                or (exchange.body_truncated and isinstance(err, RequestBodyValidationError))
            )
            if not slip and not 400 <= exchange.status < 500:
                return [f"{where}: request accepted but invalid: {_explain(err)}"]
        if exchange.response_truncated:
            return []  # the log kept only part of the response body
        headers = Headers(list(exchange.response_headers.items()))
        body = drop_null_slips(exchange, exchange.response_body)
        if exchange.api in ("jira", "jsm"):
            body = JIRA_TIME.sub(rb"\1:\2", body)
        status = STATUS_SLIPS.get((exchange.method, exchange.route), {}).get(
            exchange.status, exchange.status
        )
        response = _Response(
            status, headers, body or None, (headers.get("Content-Type") or "").lower()
        )
        try:
            app.validate_response(request, response)
        except ResponseNotFound as err:
            if exchange.status == 429 or exchange.status >= 500:
                return []  # transport-level answers the documents often leave out
            if 400 <= exchange.status < 500 and family_error_shape(exchange):
                return []  # an error status the document omits, in the family's error shape
            return [f"{where}: response: {err}"]
        except PathError:
            return []
        except MissingData:
            if exchange.status == 204 and not exchange.response_body:
                return []  # some documents give 204s a body schema; HTTP forbids the body
            return [f"{where}: response: body missing"]
        except Exception as err:
            return [f"{where}: response: {_explain(err)}"]
        return []

    def _request(self, ex: Exchange) -> _Request:
        headers = request_headers(ex)
        _, host = SPECS[ex.api]
        return _Request(
            host_url=host,
            path=_spec_path(ex.path, ex.api),
            method=ex.method.lower(),
            parameters=RequestParameters(query=ImmutableMultiDict(ex.query), header=headers),
            body=None if ex.body_truncated else ex.body or None,
            content_type=(headers.get("Content-Type") or "").lower(),
        )


def _explain(err: Exception) -> str:
    text = str(err)
    cause = err.__cause__
    details = getattr(cause, "schema_errors", None) or getattr(err, "schema_errors", None)
    if details:
        text += ": " + "; ".join(str(getattr(d, "message", d)) for d in list(details)[:5])
    elif cause is not None:
        text += f": {cause}"
    return text[:2000]
