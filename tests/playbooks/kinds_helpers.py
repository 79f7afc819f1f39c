"""Step contexts made by hand, and a loopback HTTP server that counts idempotency keys."""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opskit.playbooks.step_api import Interaction, StepContext
from opskit.policy.model import Policy

RUN = "20261202T031500Z-storage-outage-7f3a"


@dataclass
class Io:
    said: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    answer: bool = True

    def interaction(self) -> Interaction:
        def confirm(question: str) -> bool:
            self.asked.append(question)
            return self.answer

        return Interaction(
            ask=lambda question, choices: choices[0],
            confirm=confirm,
            note=lambda: "",
            say=self.said.append,
        )


def context(
    policy: Policy,
    step: str,
    kind: str,
    values: Mapping[str, Any],
    *,
    in_flight: bool = False,
    outputs: Mapping[str, Mapping[str, Any]] | None = None,
    io: Io | None = None,
    env: Mapping[str, str] | None = None,
    run: str = RUN,
    visit: int = 1,
) -> StepContext:
    return StepContext(
        run_id=run, playbook="storage-outage", step_id=step, kind=kind, values=dict(values),
        attempt=2 if in_flight else 1, in_flight=in_flight, visit=visit, policy=policy, inputs={},
        outputs=dict(outputs or {}), io=(io or Io()).interaction(),
        env=dict(os.environ if env is None else env),
    )  # fmt: skip


@dataclass
class Received:
    keys: Counter[str] = field(default_factory=Counter)
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 201
    reply: bytes = b""
    statuses: list[int] = field(default_factory=list)  # answered first, one a request


@contextmanager
def loopback() -> Iterator[tuple[str, Received]]:
    """A plain-HTTP server on 127.0.0.1: answers `status` with JSON echoing the request
    (its headers included, to see that a secret echoed back is kept out of outputs)."""
    got = Received()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            key = self.headers.get("Idempotency-Key") or ""
            got.keys[key] += 1
            seen = {"method": self.command, "path": self.path, "headers": dict(self.headers),
                    "body": json.loads(body) if body else None}  # fmt: skip
            got.requests.append(seen)
            out = got.reply or json.dumps({"seen": seen, "count": got.keys[key]}).encode()
            self.send_response(got.statuses.pop(0) if got.statuses else got.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", got
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
