"""PagerDuty: users (found), teams, memberships, schedules, escalation policies, services.

The provider is `opskit.providers.pagerduty.provider.PagerDutyProvider`; this package
imports nothing itself, so that `keys` is read without loading the client.
"""
