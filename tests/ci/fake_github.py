"""A small stand-in for GitHub's REST API: issue comments and issues of one repository.

It answers the way GitHub does where the action depends on it: bearer-token auth, pages of
at most `page_size` items with a `Link: <...>; rel="next"` header, pull requests in the
issues list, the 65,536-character limit on bodies, and 201 for what it creates.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BODY_LIMIT = 65_536


@dataclass
class Call:
    method: str
    path: str
    body: Any


@dataclass
class Repository:
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    issues: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    next_id: int = 1000

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


class FakeGitHub:
    def __init__(self, repository: str, token: str, page_size: int = 2) -> None:
        self.repository, self.token, self.page_size = repository, token, page_size
        self.state = Repository()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake.handle(self, "GET")

            def do_POST(self) -> None:
                fake.handle(self, "POST")

            def do_PATCH(self) -> None:
                fake.handle(self, "PATCH")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> FakeGitHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def add_comment(self, number: int, body: str, login: str = "reviewer") -> dict[str, Any]:
        comment = {"id": self.state.new_id(), "body": body, "user": {"login": login}}
        comment["html_url"] = (
            f"https://github.test/{self.repository}/pull/{number}#issuecomment-{comment['id']}"
        )
        self.state.comments.setdefault(number, []).append(comment)
        return comment

    def add_issue(
        self, title: str, labels: list[str], *, state: str = "open", pull_request: bool = False
    ) -> dict[str, Any]:
        number = len(self.state.issues) + 1
        issue: dict[str, Any] = {
            "number": number, "title": title, "body": "", "state": state,
            "labels": [{"name": n} for n in labels],
            "html_url": f"https://github.test/{self.repository}/issues/{number}",
        }  # fmt: skip
        if pull_request:
            issue["pull_request"] = {"url": f"https://github.test/{self.repository}/pull/{number}"}
        self.state.issues.append(issue)
        return issue

    def calls(self, method: str) -> list[Call]:
        return [c for c in self.state.calls if c.method == method]

    # -- the API ----------------------------------------------------------------------

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(request.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(request.headers.get("Content-Length") or 0)
        body = json.loads(request.rfile.read(length)) if length else None
        with self.lock:
            self.state.calls.append(Call(method, request.path, body))
            if request.headers.get("Authorization") != f"Bearer {self.token}":
                return self.send(request, 401, {"message": "Bad credentials"})
            if not request.headers.get("X-GitHub-Api-Version"):
                return self.send(request, 400, {"message": "X-GitHub-Api-Version missing"})
            if isinstance(body, dict) and len(str(body.get("body", ""))) > BODY_LIMIT:
                return self.send(
                    request,
                    422,
                    {
                        "message": "Validation Failed: body is too long (maximum is 65536 characters)"
                    },
                )
            prefix = f"/repos/{self.repository}"
            if not parts.path.startswith(prefix + "/"):
                return self.send(request, 404, {"message": "Not Found"})
            route = parts.path.removeprefix(prefix)
            return self.route(request, method, route, query, body)

    def route(
        self,
        request: BaseHTTPRequestHandler,
        method: str,
        route: str,
        query: dict[str, str],
        body: Any,
    ) -> None:
        if match := re.fullmatch(r"/issues/(\d+)/comments", route):
            number = int(match.group(1))
            if method == "GET":
                return self.page(request, route, query, self.state.comments.get(number, []))
            if method == "POST":
                return self.send(
                    request, 201, self.add_comment(number, body["body"], "github-actions[bot]")
                )
        if (match := re.fullmatch(r"/issues/comments/(\d+)", route)) and method == "PATCH":
            for comments in self.state.comments.values():
                for comment in comments:
                    if comment["id"] == int(match.group(1)):
                        comment["body"] = body["body"]
                        return self.send(request, 200, comment)
            return self.send(request, 404, {"message": "Not Found"})
        if route == "/issues":
            if method == "GET":
                wanted = set(filter(None, query.get("labels", "").split(",")))
                found = [
                    i for i in self.state.issues
                    if i["state"] == query.get("state", "open")
                    and wanted <= {label["name"] for label in i["labels"]}
                ]  # fmt: skip
                return self.page(request, route, query, found)
            if method == "POST":
                issue = self.add_issue(body["title"], body.get("labels", []))
                issue["body"] = body.get("body", "")
                return self.send(request, 201, issue)
        if (match := re.fullmatch(r"/issues/(\d+)", route)) and method == "PATCH":
            for issue in self.state.issues:
                if issue["number"] == int(match.group(1)):
                    issue.update({k: v for k, v in body.items() if k in ("title", "body", "state")})
                    return self.send(request, 200, issue)
        return self.send(request, 404, {"message": "Not Found"})

    def page(
        self,
        request: BaseHTTPRequestHandler,
        route: str,
        query: dict[str, str],
        items: list[dict[str, Any]],
    ) -> None:
        size = min(int(query.get("per_page", 30)), self.page_size)
        page = int(query.get("page", 1))
        chunk = items[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(items):
            rest = {**query, "page": str(page + 1)}
            link = f"{self.url}/repos/{self.repository}{route}?" + "&".join(
                f"{k}={v}" for k, v in rest.items()
            )
            headers["Link"] = f'<{link}>; rel="next"'
        self.send(request, 200, chunk, headers)

    def send(
        self,
        request: BaseHTTPRequestHandler,
        status: int,
        payload: Any,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)
