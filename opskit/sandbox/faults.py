"""Fault injection: 429s, 5xx, dropped connections and latency, reproducible under a seed."""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass
class FaultConfig:
    """The faults the sandbox injects: how often each error or drop, latency, and seed."""

    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_502: float = 0.0
    rate_503: float = 0.0
    rate_drop: float = 0.0
    latency_ms: int = 0
    latency_rate: float = 0.0
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: FaultConfig | None = None) -> FaultConfig:
        """Merge ``data`` over ``base``; raises ValueError on unknown keys or bad values."""
        current = asdict(base or cls())
        known = {f.name: f.type for f in fields(cls)}
        for key, value in data.items():
            if key not in known:
                raise ValueError(f"unknown fault setting {key!r}")
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{key} must be a number")
            if key.startswith("rate_") and not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{key} must be between 0 and 1")
            if key in ("latency_ms", "seed"):
                if int(value) != value or value < 0:
                    raise ValueError(f"{key} must be a non-negative integer")
                value = int(value)
            current[key] = value
        return cls(**current)


class FaultInjector:
    """Draws one fault decision per request from a seeded generator."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)

    def draw(self) -> tuple[str | None, float]:
        """Return (fault, latency_seconds); fault is '429', '500', '502', '503', 'drop' or None."""
        with self._lock:
            cfg = self.config
            latency = 0.0
            if cfg.latency_ms and self._rng.random() < cfg.latency_rate:
                latency = cfg.latency_ms / 1000.0
            roll = self._rng.random()
        edge = 0.0
        for name, rate in (
            ("429", cfg.rate_429),
            ("500", cfg.rate_500),
            ("502", cfg.rate_502),
            ("503", cfg.rate_503),
            ("drop", cfg.rate_drop),
        ):
            edge += rate
            if roll < edge:
                return name, latency
        return None, latency
