"""Request log: every exchange with its request and response, and counters per route.

The log stays bounded however large the bodies are: each stored body is cut at
``body_limit`` bytes, and once the stored bodies pass ``body_budget`` bytes in all, the
oldest exchanges lose theirs (the exchanges themselves, their summaries and the counters
stay, so positions in the log never shift because of a body).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

DEFAULT_BODY_LIMIT = 1024 * 1024
DEFAULT_BODY_BUDGET = 64 * 1024 * 1024


@dataclass
class Exchange:
    """One request to the sandbox and its response, as the request log keeps them."""

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
    # Sizes as sent; a body kept shorter than its size was cut (or dropped) by the log.
    body_size: int = -1
    response_size: int = -1

    def __post_init__(self) -> None:
        if self.body_size < 0:
            self.body_size = len(self.body)

    @property
    def body_truncated(self) -> bool:
        return len(self.body) < self.body_size

    @property
    def response_truncated(self) -> bool:
        return len(self.response_body) < self.response_size

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
        out: dict[str, Any] = {
            "query": self.query,
            "request_body": self.body.decode(errors="replace"),
            "response_body": self.response_body.decode(errors="replace"),
        }
        if self.body_truncated or self.response_truncated:
            out["request_size"] = self.body_size
            out["response_size"] = max(self.response_size, len(self.response_body))
            out["truncated"] = True
        return out


class RequestLog:
    def __init__(
        self,
        keep: int = 100_000,
        body_limit: int = DEFAULT_BODY_LIMIT,
        body_budget: int = DEFAULT_BODY_BUDGET,
    ) -> None:
        self._lock = threading.Lock()
        self._keep = keep
        self.body_limit = body_limit
        self.body_budget = body_budget
        self.exchanges: list[Exchange] = []
        self.counters: Counter[str] = Counter()
        self._stored = 0  # bytes of bodies held
        self._oldest_with_body = 0  # index of the first exchange that may still hold bodies

    @property
    def stored_body_bytes(self) -> int:
        with self._lock:
            return self._stored

    def add(self, exchange: Exchange) -> None:
        if exchange.response_size < 0:
            exchange.response_size = len(exchange.response_body)
        exchange.body = exchange.body[: self.body_limit]
        exchange.response_body = exchange.response_body[: self.body_limit]
        with self._lock:
            self.exchanges.append(exchange)
            self._stored += len(exchange.body) + len(exchange.response_body)
            if len(self.exchanges) > self._keep:
                gone = len(self.exchanges) - self._keep
                self._stored -= sum(
                    len(e.body) + len(e.response_body) for e in self.exchanges[:gone]
                )
                del self.exchanges[:gone]
                self._oldest_with_body = max(0, self._oldest_with_body - gone)
            self._drop_old_bodies()
            self.counters[f"{exchange.method} {exchange.route}"] += 1
            self.counters[f"status {exchange.status}"] += 1

    def _drop_old_bodies(self) -> None:
        # The newest exchange keeps its bodies even if they alone pass the budget.
        last = len(self.exchanges) - 1
        while self._stored > self.body_budget and self._oldest_with_body < last:
            old = self.exchanges[self._oldest_with_body]
            self._stored -= len(old.body) + len(old.response_body)
            old.body = old.response_body = b""
            self._oldest_with_body += 1

    def snapshot(self) -> list[Exchange]:
        with self._lock:
            return list(self.exchanges)

    def clear(self) -> None:
        with self._lock:
            self.exchanges.clear()
            self.counters.clear()
            self._stored = 0
            self._oldest_with_body = 0

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self.counters)
