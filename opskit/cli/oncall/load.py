"""Load the policies for the oncall commands: coverage problems are what they show."""

from __future__ import annotations

from pathlib import Path

from opskit.cli.policy_errors import require_valid
from opskit.cli.repository import open_repository, policy_paths
from opskit.policy.config import Config
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.model import Policy


def load_policies(config_path: Path | None, label: str = "the policies") -> tuple[Policy, Config]:
    from opskit.deliverability.checks import RULE_IDS
    from opskit.policy.validate import validate_files
    from opskit.rules import validate_stages

    problems = Diagnostics()
    config = open_repository(config_path, problems, required=True)
    assert config is not None
    result = validate_files(policy_paths((), config), config, stages=validate_stages(targets=False, capacity=False))
    # Gaps and double bookings are what these commands show: only other errors stop them.
    require_valid(result.diagnostics, label, ignore=RULE_IDS, consequence="fix them first")
    return result.policy, config
