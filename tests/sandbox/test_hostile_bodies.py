"""Every route answers hostile bodies with a 4xx in its API family's error shape, never a 500.

Bodies are drawn from the vendors' OpenAPI request schemas (following them, then broken:
wrong types, missing fields, huge strings and numbers, deep nesting), as arbitrary JSON, as
bytes that are not JSON, and under the wrong content types. Every exchange is also checked
against the vendor documents by the sandbox's contract plugin: every answer must keep the
contract, and so must what the sandbox accepts, but for wrong values in body fields that it
does not emulate (see ``BodyFieldsLenient``).

Twelve examples a route keep the module at well under half a minute; set
``OPSKIT_FUZZ_EXAMPLES`` for a deeper run. Runs derandomized under CI (``CI`` set) so that a
run is repeatable; elsewhere each run explores new examples.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.sandbox import Sandbox
from opskit.sandbox.app import api_routes
from opskit.sandbox.errors import family_for_path
from opskit.sandbox.pytest_plugin import ContractWatch, spec_dir
from tests.sandbox.openapi_fuzz import (
    CONTENT_TYPES,
    SpecRoutes,
    arbitrary_json,
    encode,
    mutated,
    raw_bodies,
    string_pool,
    values,
)

FROM = "anna@northwind.example"
FUZZ = settings(
    max_examples=int(os.environ.get("OPSKIT_FUZZ_EXAMPLES", "12")),
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

SPECS = SpecRoutes(spec_dir())
ROUTES = [
    (method, rule) for method, rule in api_routes() if SPECS.operation(method, rule) is not None
]
BODY_ROUTES = [r for r in ROUTES if SPECS.request_schema(*r) is not None]
BODYLESS_ROUTES = [r for r in ROUTES if r not in BODY_ROUTES]


def test_every_route_is_fuzzed() -> None:
    # A route the documents do not describe would escape the fuzzing below.
    assert len(ROUTES) == len(api_routes())
    assert len(BODY_ROUTES) >= 50 and len(BODYLESS_ROUTES) >= 50


class Target:
    """The shared sandbox with the ids its routes need, and a plain HTTP client."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        self.http = httpx2.Client(base_url=sb.url, timeout=60)
        store = sb.store
        self.ids: dict[str, str] = {
            "user": store.all("pd.user")[0]["id"],
            "team": store.all("pd.team")[0]["id"],
            "schedule": store.all("pd.schedule")[0]["id"],
            "escalation_policy": store.all("pd.escalation_policy")[0]["id"],
            "service": store.all("pd.service")[0]["id"],
            "priority": store.all("jira.priority")[0]["id"],
            "field": store.all("jira.field")[0]["id"],
        }
        self._make_more()

    def _make_more(self) -> None:
        pd = {"Authorization": "Token token=fuzz", "From": FROM}
        jira = ("anna@northwind.example", "fuzz")
        made = self.http.post(
            "/incidents",
            headers=pd,
            json={
                "incident": {
                    "type": "incident",
                    "title": "fuzz",
                    "service": {"id": self.ids["service"], "type": "service_reference"},
                }
            },
        )
        self.ids["incident"] = made.json()["incident"]["id"]
        logged = self.http.get(f"/incidents/{self.ids['incident']}/log_entries", headers=pd)
        self.ids["log_entry"] = logged.json()["log_entries"][0]["id"]
        made = self.http.post(
            f"/schedules/{self.ids['schedule']}/overrides",
            headers=pd,
            json={
                "override": {
                    "start": "2026-03-02T10:00:00Z",
                    "end": "2026-03-02T12:00:00Z",
                    "user": {"id": self.ids["user"], "type": "user_reference"},
                }
            },
        )
        self.ids["override"] = made.json()["override"]["id"]
        made = self.http.post(
            "/rest/api/2/component", auth=jira, json={"project": "SUP", "name": "fuzz"}
        )
        self.ids["component"] = made.json()["id"]
        made = self.http.post(
            "/rest/api/2/priorityscheme",
            auth=jira,
            json={
                "name": "fuzz",
                "priorityIds": [int(self.ids["priority"])],
                "defaultPriorityId": int(self.ids["priority"]),
            },
        )
        self.ids["scheme"] = made.json()["id"]
        made = self.http.post(
            f"/rest/api/2/field/{self.ids['field']}/context", auth=jira, json={"name": "fuzz"}
        )
        self.ids["context"] = made.json()["id"]
        made = self.http.post(
            "/rest/api/2/issue/SUP-1/comment", auth=jira, json={"body": "fuzz"}
        )
        self.ids["comment"] = made.json()["id"]
        made = self.http.put(
            "/rest/api/2/issue/SUP-1/properties/fuzz-property", auth=jira, json={"a": 1}
        )
        made = self.http.post(
            f"/rest/api/2/field/{self.ids['field']}/context/{self.ids['context']}/option",
            auth=jira,
            json={"options": [{"value": "fuzz"}]},
        )
        self.ids["option"] = made.json()["options"][0]["id"]
        assert all(self.ids.values()), self.ids

    def path(self, rule: str) -> str:
        """The rule with real ids, so that handlers get past their lookups to the body."""

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            by_name = {
                "uid": self.ids["user"],
                "tid": self.ids["team"],
                "iid": self.ids["incident"],
                "entry_id": self.ids["log_entry"],
                "oid": self.ids["override"],
                "id_or_key": "SUP",
                "cid": self.ids["component"],
                "scheme_id": self.ids["scheme"],
                "field_id": self.ids["field"],
                "context_id": self.ids["context"],
                "org_id": "1",
                "desk_id": "1",
                "comment_id": self.ids["comment"],
                "property_key": "fuzz-property",
                "type_id": "10001",
                "option_id": self.ids["option"],
                "metric_id": "1",
                "ability": "teams",
            }
            if name == "sid":
                return self.ids["service" if rule.startswith("/services") else "schedule"]
            if name == "pid":
                return self.ids["priority" if rule.startswith("/rest") else "escalation_policy"]
            if name == "key":
                return "fuzz-property" if "/property/" in rule else "SUP-1"
            return by_name[name]

        return re.sub(r"<(?:\w+:)?(\w+)>", value, rule)

    def send(
        self, method: str, path: str, body: bytes, content_type: str | None
    ) -> httpx2.Response:
        headers = {"Authorization": "Token token=fuzz", "From": FROM}
        if content_type:
            headers["Content-Type"] = content_type
        auth = ("anna@northwind.example", "fuzz") if path.startswith("/rest/") else None
        if auth:
            del headers["Authorization"]
        return self.http.request(method, path, content=body, headers=headers, auth=auth)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    # Rate limits out of the way: a 429 would be a 4xx in the right shape, but says nothing.
    with Sandbox(
        db=tmp_path_factory.mktemp("hostile") / "sb.db",
        seed="demo",
        tls=False,
        pd_rate_per_minute=10**7,
        jira_rate_per_minute=10**7,
    ) as sb:
        target = Target(sb)
        yield target
        target.http.close()


class BodyFieldsLenient(ContractWatch):
    """The contract check, less one finding: a body the sandbox accepted although a field
    of it breaks the request schema. The sandbox checks the fields it emulates and ignores
    the rest (a wrong type in a field it does not keep, a property the document forbids),
    where the service would refuse them; mutated bodies find such fields all the time.
    Everything else stays checked: every response, headers, and bodies that are missing or
    not JSON."""

    def problems(self) -> list[str]:
        return [p for p in super().problems() if LENIENT_FIELDS not in p]


LENIENT_FIELDS = "request accepted but invalid: Request body validation error: Value "


@pytest.fixture
def sandbox_contract(sandbox_spec_checker: Any) -> ContractWatch:
    return BodyFieldsLenient(sandbox_spec_checker)


@pytest.fixture
def target(shared: Target, watch_sandbox: Callable[[Sandbox], Sandbox]) -> Target:
    watch_sandbox(shared.sb)
    return shared


def assert_family_error(path: str, resp: httpx2.Response) -> None:
    """A status below 500 and, for a 4xx, exactly the error shape of the path's API."""
    where = f"{resp.request.method} {path} -> {resp.status_code}: {resp.text[:300]}"
    assert resp.status_code < 500, where
    if resp.status_code < 400:
        return
    assert resp.headers.get("Content-Type", "").startswith("application/json"), where
    body = resp.json()
    family = family_for_path(path)
    assert isinstance(body, dict), where
    if family == "pagerduty":
        assert set(body) == {"error"}, where
        error = body["error"]
        assert set(error) == {"code", "message", "errors"}, where
        assert isinstance(error["code"], int) and isinstance(error["message"], str), where
        assert all(isinstance(e, str) for e in error["errors"]), where
    elif family == "events":
        assert set(body) == {"status", "message", "errors"}, where
        assert all(isinstance(e, str) for e in body["errors"]), where
    elif family == "jira":
        assert set(body) == {"errorMessages", "errors"}, where
        assert isinstance(body["errorMessages"], list) and isinstance(body["errors"], dict), where
        assert body["errorMessages"] or body["errors"], where
    else:
        assert family == "jsm", where
        assert set(body) == {"errorMessage", "i18nErrorMessage"}, where
        assert isinstance(body["errorMessage"], str) and body["errorMessage"], where


def _id(route: tuple[str, str]) -> str:
    return f"{route[0]} {route[1]}"


def body_strategy(route: tuple[str, str], ids: list[str]) -> st.SearchStrategy[tuple[bytes, str]]:
    found = SPECS.request_schema(*route)
    assert found is not None
    doc, schema = found
    valid = values(doc, schema, string_pool(ids))
    json_bodies = st.one_of(
        valid.map(encode),
        mutated(valid).map(encode),
        arbitrary_json.map(encode),
    )
    json_types = st.sampled_from(["application/json", "application/json; charset=utf-8"])
    return st.one_of(
        st.tuples(json_bodies, json_types),
        st.tuples(raw_bodies(valid), json_types),
        st.tuples(valid.map(encode), st.sampled_from(CONTENT_TYPES)),
    )


@pytest.mark.parametrize("route", BODY_ROUTES, ids=_id)
def test_hostile_bodies_get_family_shaped_4xx(target: Target, route: tuple[str, str]) -> None:
    method, rule = route
    path = target.path(rule)
    ids = list(target.ids.values())
    seen: set[int] = set()

    @FUZZ
    @given(sent=body_strategy(route, ids))
    def run(sent: tuple[bytes, str]) -> None:
        body, content_type = sent
        resp = target.send(method, path, body, content_type)
        seen.add(resp.status_code)
        assert_family_error(path, resp)

    run()
    assert any(400 <= s < 500 for s in seen), seen


@pytest.mark.parametrize("route", BODYLESS_ROUTES, ids=_id)
def test_bodyless_routes_ignore_or_refuse_bodies(target: Target, route: tuple[str, str]) -> None:
    method, rule = route
    # Lookups of ids that do not exist: a DELETE sent here must not remove the objects the
    # other routes are fuzzed against.
    path = re.sub(r"<(?:\w+:)?\w+>", "NOPE404", rule) if method == "DELETE" else target.path(rule)

    @settings(FUZZ, max_examples=max(3, FUZZ.max_examples // 3))
    @given(
        body=st.one_of(raw_bodies(), arbitrary_json.map(encode)),
        content_type=st.sampled_from(CONTENT_TYPES),
    )
    def run(body: bytes, content_type: str) -> None:
        assert_family_error(path, target.send(method, path, body, content_type))

    run()


def test_nan_and_infinity_are_not_stored(target: Target) -> None:
    # Python's parser takes them; a service's does not, and echoing one back would send
    # invalid JSON to the client.
    path = "/rest/servicedeskapi/organization/1/property/fuzz-nan"
    for body in (b'{"a": NaN}', b"[Infinity]", b"1e999"):
        resp = target.send("PUT", path, body, "application/json")
        assert resp.status_code == 400
        assert_family_error(path, resp)
    assert target.send("GET", path, b"", None).status_code == 404


@pytest.mark.parametrize(
    ("path", "content_type", "status"),
    [
        ("/teams", "text/plain", 415),
        ("/teams", "application/x-www-form-urlencoded", 415),
        ("/rest/api/2/issue", "application/xml", 415),
        ("/rest/servicedeskapi/organization", "multipart/form-data; boundary=x", 415),
        ("/v2/enqueue", "text/plain", 415),
        ("/teams", "application/vnd.api+json", 415),
        ("/teams", "", 415),  # a body must say what it is
        ("/v2/enqueue", "", 415),
        ("/rest/api/2/issue", "", 415),
        ("/teams", "application/json; charset=utf-8", 400),  # JSON, but not a team
    ],
)
def test_wrong_content_types_are_refused(
    target: Target, path: str, content_type: str, status: int
) -> None:
    resp = target.send("POST", path, json.dumps({"a": 1}).encode(), content_type)
    assert resp.status_code == status
    assert_family_error(path, resp)


def test_deep_nesting_is_refused_at_the_parser(target: Target) -> None:
    path = "/rest/api/2/search/jql"
    deep = b'{"jql": "project = SUP", "fields": ' + b"[" * 101 + b"]" * 101 + b"}"
    resp = target.send("POST", path, deep, "application/json")
    assert resp.status_code == 400
    assert "nests deeper than 100" in resp.json()["errorMessages"][0]
    shallow = b'{"jql": "project = SUP", "maxResults": 1, "fields": ["summary"]}'
    assert target.send("POST", path, shallow, "application/json").status_code == 200
