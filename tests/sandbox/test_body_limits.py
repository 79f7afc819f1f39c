"""Request size limit (413, before the body is read), a request log that stays bounded
after large bodies, and the mapping of bodies a handler could not digest to 400s."""

from __future__ import annotations

import json
import logging
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx2
import pytest
from flask import Response

from opskit.sandbox import Sandbox
from opskit.sandbox.app import create_app
from opskit.sandbox.app_util import respond
from opskit.sandbox.body import DEFAULT_MAX_BODY_BYTES, json_body
from opskit.sandbox.reqlog import Exchange, RequestLog
from tests.sandbox.test_hostile_bodies import assert_family_error

LIMIT = DEFAULT_MAX_BODY_BYTES
JSON = {"Content-Type": "application/json"}
PD = {"Authorization": "Token token=limits", **JSON}
JIRA = ("anna@northwind.example", "limits")

# One refused route per API family, each answering in its own shape.
FAMILIES = [
    ("POST", "/teams"),
    ("POST", "/v2/enqueue"),
    ("POST", "/rest/api/2/issue"),
    ("POST", "/rest/servicedeskapi/organization"),
]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(db=tmp_path_factory.mktemp("limits") / "sb.db", tls=False) as sb:
        yield sb


@pytest.fixture
def sb(shared: Sandbox, watch_sandbox: Callable[[Sandbox], Sandbox]) -> Sandbox:
    return watch_sandbox(shared)


def client(sb: Sandbox) -> httpx2.Client:
    return httpx2.Client(base_url=sb.url, timeout=60)


def post(http: httpx2.Client, path: str, content: Any) -> httpx2.Response:
    if path.startswith("/rest/"):
        return http.post(path, content=content, headers=JSON, auth=JIRA)
    return http.post(path, content=content, headers=PD)


def raw_exchange(sb: Sandbox, head: bytes, body: bytes = b"") -> tuple[bytes, dict[str, Any]]:
    """Send bytes as they are; return the answer's status line and JSON body, read as far as
    its Content-Length (the connection stays open, as a client's waiting for it would)."""
    with socket.create_connection(("127.0.0.1", sb.port), timeout=30) as sock:
        sock.sendall(head + body)
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := sock.recv(65536)):
            answer += chunk
        header, _, rest = answer.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?im)^content-length: *(\d+)", header)[1])  # type: ignore[index]
        while len(rest) < length and (chunk := sock.recv(65536)):
            rest += chunk
    return header.partition(b"\r\n")[0], json.loads(rest)


def test_the_default_limit_is_a_few_megabytes() -> None:
    assert Sandbox().config.max_body_bytes == LIMIT == 5 * 1024 * 1024
    with pytest.raises(ValueError, match="max_body_bytes"):
        Sandbox(max_body_bytes=0)


@pytest.mark.parametrize(("method", "path"), FAMILIES)
def test_a_body_over_the_limit_is_413_in_the_family_shape(
    sb: Sandbox, method: str, path: str
) -> None:
    with client(sb) as http:
        resp = post(http, path, b"x" * (LIMIT + 1))
    assert resp.status_code == 413
    assert_family_error(path, resp)
    logged = sb.log.snapshot()[-1]
    assert (logged.path, logged.status, logged.body, logged.body_size) == (
        path,
        413,
        b"",
        LIMIT + 1,
    )


def test_content_length_over_the_limit_is_refused_before_the_body_is_sent(sb: Sandbox) -> None:
    # The body never comes: a server that tried to read it would still be waiting.
    head = (
        b"POST /rest/api/2/issue HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Authorization: Basic YW5uYUBub3J0aHdpbmQuZXhhbXBsZTp0\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n"
    )
    status, body = raw_exchange(sb, head)
    assert status.startswith(b"HTTP/1.1 413")
    assert body == {
        "errorMessages": [f"The request body is larger than the limit of {LIMIT} bytes."],
        "errors": {},
    }


def test_a_chunked_body_is_cut_off_at_the_limit(sb: Sandbox) -> None:
    # Chunks past the limit and no final chunk: the answer comes once the limit is passed.
    head = (
        b"POST /teams HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token token=t\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    piece = b"y" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(LIMIT // len(piece) + 1))
    status, body = raw_exchange(sb, head, chunks)
    assert status.startswith(b"HTTP/1.1 413")
    error = body["error"]
    assert error["message"] == "Request Entity Too Large" and error["code"] == 2001
    assert sb.log.snapshot()[-1].body_size > LIMIT


def test_chunked_bodies_within_the_limit_are_read_whole(sb: Sandbox) -> None:
    def chunks(data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), 1000):
            yield data[start : start + 1000]

    team = json.dumps({"team": {"type": "team", "name": "Chunked"}}).encode()
    with client(sb) as http:
        made = post(http, "/teams", chunks(team))
        # a body of exactly the limit is not over it (it is refused for what it says)
        exact = post(http, "/teams", chunks(b" " * (LIMIT - 2) + b"{}"))
    assert made.status_code == 201 and made.json()["team"]["name"] == "Chunked"
    assert exact.status_code == 400
    assert exact.json()["error"]["errors"] == ["team must be an object"]


def test_a_body_of_exactly_the_limit_is_accepted(sb: Sandbox) -> None:
    event = {"routing_key": "short", "event_action": "trigger"}
    text = json.dumps(event).encode()
    body = text[:-1] + b" " * (LIMIT - len(text)) + b"}"
    assert len(body) == LIMIT
    with client(sb) as http:
        resp = post(http, "/v2/enqueue", body)
    assert resp.status_code == 400  # read and parsed: it is the routing key that is wrong
    assert "'routing_key' must be a 32 character string" in resp.json()["errors"]


def test_large_bodies_leave_the_log_bounded_and_the_server_working(sb: Sandbox) -> None:
    log = sb.log
    budget, log.body_budget = log.body_budget, 3 * log.body_limit
    try:
        before = len(log.snapshot())
        summary = "s" * (LIMIT - 200)
        event = {"routing_key": "k" * 32, "event_action": "trigger"}
        with client(sb) as http:
            for _ in range(8):
                body = json.dumps({**event, "payload": {"summary": summary}}).encode()
                assert post(http, "/v2/enqueue", body).status_code == 400
                assert len(log.snapshot()[-1].body) == log.body_limit  # kept cut short
            team = post(http, "/teams", json.dumps({"team": {"type": "team", "name": "After"}}))
            assert team.status_code == 201
            assert post(http, "/v2/enqueue", b"{}").status_code == 400
            found = http.get(f"/teams/{team.json()['team']['id']}", headers=PD)
        assert found.status_code == 200 and found.json()["team"]["name"] == "After"
        recent = log.snapshot()[before:]
        assert len(recent) == 11  # every exchange stays, with its summary
        assert all(e.body_size > LIMIT - 200 for e in recent[:8])
        assert all(len(e.body) <= log.body_limit for e in recent)
        assert all(e.body_truncated for e in recent[:8])
        assert not any(e.body_truncated for e in recent[8:])
        assert log.stored_body_bytes <= log.body_budget
        assert log.counts()["status 400"] >= 9
    finally:
        log.body_budget = budget


def test_the_log_cuts_each_body_and_drops_the_oldest_past_its_budget() -> None:
    log = RequestLog(body_limit=10, body_budget=25)

    def exchange(n: int) -> Exchange:
        ex = Exchange("POST", f"/{n}", [], {}, body=b"%d" % n * 30, status=201)
        ex.response_body = b"r" * 4
        return ex

    for n in range(5):
        log.add(exchange(n))
    kept = log.snapshot()
    assert [e.path for e in kept] == ["/0", "/1", "/2", "/3", "/4"]
    # each keeps 10 + 4 bytes; a second one would pass the budget, so only the newest has any
    assert [len(e.body) for e in kept] == [0, 0, 0, 0, 10]
    assert all(e.body_size == 30 and e.body_truncated for e in kept)
    assert [e.response_truncated for e in kept] == [True, True, True, True, False]
    assert log.stored_body_bytes == 14
    assert kept[-1].bodies()["truncated"] is True and kept[-1].bodies()["request_size"] == 30
    assert log.counts()["status 201"] == 5
    log.clear()
    assert log.stored_body_bytes == 0 and log.snapshot() == []


def test_the_contract_check_skips_only_what_the_log_cut(
    sb: Sandbox, sandbox_spec_checker: Any
) -> None:
    with client(sb) as http:
        post(http, "/teams", json.dumps({"team": {"type": "team", "name": "Checked"}}))
    made = sb.log.snapshot()[-1]
    assert made.status == 201 and sandbox_spec_checker.problems(made) == []
    cut = made.body[:20]
    # cut by the log (it says the body was longer): the request body is not checked
    assert sandbox_spec_checker.problems(replace(made, body=cut, body_size=len(made.body))) == []
    # the same bytes sent whole are invalid JSON that was accepted: a finding
    problems = sandbox_spec_checker.problems(replace(made, body=cut, body_size=len(cut)))
    assert len(problems) == 1 and "request accepted but invalid" in problems[0]
    # a response the log cut is not checked; the same bytes as sent whole are a finding
    short = made.response_body[:30]
    size = len(made.response_body)
    assert (
        sandbox_spec_checker.problems(replace(made, response_body=short, response_size=size)) == []
    )
    assert sandbox_spec_checker.problems(replace(made, response_body=short, response_size=30))


def test_a_body_a_handler_could_not_digest_is_a_400_not_a_500(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with Sandbox(db=tmp_path / "sb.db", tls=False) as own:
        assert own.state is not None
        app = create_app(own.state)

        def digest() -> Response:
            body = json_body()
            return respond({"b": body["a"]["b"] + 1})  # trusts the body's shape

        def broken() -> Response:
            raise TypeError("a bug of the sandbox, not the client's")

        for name, view in (("digest", digest), ("broken", broken)):
            for prefix in ("/rest/api/2", "/rest/servicedeskapi", ""):
                app.add_url_rule(
                    f"{prefix}/{name}", f"{prefix}_{name}", view_func=view, methods=["POST"]
                )
        http = app.test_client()
        auth = {"Authorization": "Basic YW5uYUBub3J0aHdpbmQuZXhhbXBsZTp0"}
        with caplog.at_level(logging.WARNING, logger="opskit.sandbox.app"):
            for prefix in ("/rest/api/2", "/rest/servicedeskapi"):
                for body in ("[1]", '{"a": []}', '{"a": {"b": "text"}}', '{"a": {}}'):
                    resp = http.post(f"{prefix}/digest", data=body, headers=auth | JSON)
                    assert resp.status_code == 400, (prefix, body)
                    if prefix == "/rest/api/2":
                        assert resp.get_json() == {
                            "errorMessages": [
                                "The request body has a value of the wrong type or shape."
                            ],
                            "errors": {},
                        }
                    else:
                        assert resp.get_json()["errorMessage"].startswith("The request body")
            for body in ('{"a": null}', "null"):  # a body of null is a body too
                pd = http.post("/digest", data=body, headers=PD)
                assert pd.status_code == 400
                assert pd.get_json()["error"]["message"] == "Invalid Input Provided"
            fine = http.post("/rest/api/2/digest", json={"a": {"b": 1}}, headers=auth)
            assert fine.status_code == 200 and fine.get_json() == {"b": 2}
            # no body was read: the same error is the sandbox's own bug, and stays a 500
            bug = http.post("/rest/api/2/broken", headers=auth)
            assert bug.status_code == 500
            assert bug.get_json() == {"errorMessages": ["Internal Server Error"], "errors": {}}
        unchecked = [r for r in caplog.records if "unchecked request body" in r.getMessage()]
        assert len(unchecked) == 10 and all(r.exc_info for r in unchecked)
        assert any("unexpected error" in r.getMessage() for r in caplog.records)
