"""Request log: every exchange with its full request and response, and counters per route."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Exchange:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""
    route: str = ""
    api: str = ""
    fault: str | None = None
    duration_ms: float = 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "route": self.route,
            "api": self.api,
            "status": self.status,
            "fault": self.fault,
            "duration_ms": round(self.duration_ms, 3),
        }

    def bodies(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "request_body": self.body.decode(errors="replace"),
            "response_body": self.response_body.decode(errors="replace"),
        }


class RequestLog:
    def __init__(self, keep: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._keep = keep
        self.exchanges: list[Exchange] = []
        self.counters: Counter[str] = Counter()

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            self.exchanges.append(exchange)
            if len(self.exchanges) > self._keep:
                del self.exchanges[: len(self.exchanges) - self._keep]
            self.counters[f"{exchange.method} {exchange.route}"] += 1
            self.counters[f"status {exchange.status}"] += 1

    def snapshot(self) -> list[Exchange]:
        with self._lock:
            return list(self.exchanges)

    def clear(self) -> None:
        with self._lock:
            self.exchanges.clear()
            self.counters.clear()

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self.counters)
