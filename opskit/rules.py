"""Every rule opskit reports, and the validate stages that sit above the policy layer.

The policy layer knows only its own rules; this module, one layer up, joins them with
the deliverability rules so the CLI, reporters and `opskit rules` see one table.
"""

from __future__ import annotations

from opskit import deliverability
from opskit.policy.checks import RULES as POLICY_RULES
from opskit.policy.checks import Context, Rule, run_rules
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.validate import Stage

RULES: dict[str, Rule] = {**POLICY_RULES, **deliverability.RULES}


def validate_stages(*, targets: bool = True) -> list[Stage]:
    """Deliverability, then (unless `targets` is off) each target's natural-key check."""
    from opskit.providers import check_stages

    stages: list[Stage] = [deliverability.stage]
    return stages + check_stages() if targets else stages


def run_all(context: Context, diagnostics: Diagnostics) -> None:
    """Every model-level rule, policy and deliverability, on one built model."""
    run_rules(RULES, context, diagnostics)
