"""targets.pagerduty in opskit.yaml: whether opskit may create users, and as whom."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opskit.policy.diagnostics import Position

if TYPE_CHECKING:
    from opskit.policy.config import Config

FROM_ENV = "PAGERDUTY_FROM"
CREATE_SETTING = "targets.pagerduty.create_users"


@dataclass(frozen=True, slots=True)
class Settings:
    """targets.pagerduty of opskit.yaml: creating users, as whom, and holiday overrides."""

    # Make a user for each person no PagerDuty user is found for (by email).
    create_users: bool = False
    # The From header: the email of a user of the account, which PagerDuty needs
    # before it creates a user (POST /users refuses a request without it).
    sender: str | None = None
    # Where create_users is written, for the plan's messages.
    where: Position | str | None = None
    # Cover each holiday with managed overrides (PagerDuty has no holidays).
    holiday_overrides: bool = False

    @classmethod
    def from_config(cls, config: Config) -> Settings:
        found = config.targets.get("pagerduty")
        pagerduty: dict[str, Any] = found if isinstance(found, dict) else {}
        written = pagerduty.get("from")
        sender = os.environ.get(FROM_ENV, "").strip() or (str(written).strip() if written else None)
        create = pagerduty.get("create_users") is True
        where = config.at("targets", "pagerduty", "create_users") if create else None
        holidays = pagerduty.get("holiday_overrides") is True
        return cls(create, sender or None, where, holidays)

    @classmethod
    def from_environment(cls) -> Settings:
        """Without opskit.yaml: users are not created; PAGERDUTY_FROM is still sent."""
        return cls(False, os.environ.get(FROM_ENV, "").strip() or None)
