"""A duration as policies mean it: elapsed time plus whole business days."""

from __future__ import annotations

from dataclasses import dataclass, field

SECONDS_PER_UNIT = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}


@dataclass(frozen=True, slots=True, order=True)
class Duration:
    """Elapsed time plus whole business days (counted on the governing calendar)."""

    business_days: int = 0
    seconds: int = 0
    text: str = field(default="", compare=False)  # as written, for messages

    @property
    def calendar_seconds(self) -> int:
        """Its length with each business day counted as a whole day: what a fixed length
        means (a PagerDuty turn or delay, a horizon, a calendar open around the clock)."""
        return self.business_days * 86_400 + self.seconds

    @property
    def minutes(self) -> float:
        return self.seconds / 60

    def __str__(self) -> str:
        if self.text:
            return self.text
        parts = [f"{self.business_days}bd"] if self.business_days else []
        rest = self.seconds
        for unit in ("w", "d", "h", "m", "s"):
            count, rest = divmod(rest, SECONDS_PER_UNIT[unit])
            if count:
                parts.append(f"{count}{unit}")
        return "".join(parts) or "0m"
