"""The generic sync engine: desired state vs live state → plan → apply.

Nothing here knows a target; providers (opskit/providers) map the policy model
to resources and talk to their service.
"""
