"""Every rule opskit reports, and the validate stages that sit above the policy layer.

The policy layer knows only its own rules; this module, one layer up, joins them with
the deliverability rules so the CLI, reporters and `opskit rules` see one table.
"""

from __future__ import annotations

from opskit import deliverability
from opskit.capacity import rule as capacity_rule
from opskit.policy.checks import RULES as POLICY_RULES
from opskit.policy.checks import Context, Rule, run_rules
from opskit.policy.config import Config
from opskit.policy.diagnostics import Diagnostics, Level
from opskit.policy.validate import Stage

RULES: dict[str, Rule] = {
    **POLICY_RULES,
    **deliverability.RULES,
    capacity_rule.RULE: Rule(capacity_rule.RULE, Level.ERROR, capacity_rule.SUMMARY),
}


def validate_stages(*, targets: bool = True, capacity: bool = True) -> list[Stage]:
    """Deliverability, capacity (unless off: reading tickets and on-call do not need the
    staffing proven), then (unless `targets` is off) each target's natural-key check."""
    from opskit.providers import check_stages

    stages: list[Stage] = [deliverability.stage, *([_capacity] if capacity else [])]
    return stages + check_stages() if targets else stages


def _capacity(context: Context, config: Config | None, diagnostics: Diagnostics) -> None:
    """capacity-short, only where a demand snapshot is committed (else nothing to import)."""
    if config is not None and (config.root / capacity_rule.SNAPSHOT).is_file():
        from opskit.capacity.check import stage

        stage(context, config, diagnostics)


def run_all(context: Context, diagnostics: Diagnostics) -> None:
    """Every model-level rule, policy and deliverability, on one built model."""
    run_rules(RULES, context, diagnostics)
