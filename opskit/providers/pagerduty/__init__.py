"""PagerDuty: users (found), teams, memberships, schedules, escalation policies, services."""

from opskit.providers.pagerduty.provider import ORDER, PagerDutyProvider

__all__ = ["ORDER", "PagerDutyProvider"]
