"""Rule capacity-short: with a demand snapshot committed, every attainment goal is staffed.

A validate stage above the policy layer. Without `capacity-snapshot.json` at the
repository's root it does nothing; with one, each desk's staffing over the next four weeks
is assessed (Erlang C and the backlog, no simulation: validate stays fast and exact) and each promise that
some hour of the week cannot keep is an error at its attainment goal.
"""

from __future__ import annotations

from pathlib import Path

from opskit.capacity import report, snapshot
from opskit.capacity.desks import Desk
from opskit.capacity.rule import RULE
from opskit.capacity.scenario import Measured, Scenario
from opskit.capacity.words import hour_ranges, percent
from opskit.errors import UsageError
from opskit.oncall.window import reference
from opskit.policy.checks.base import Context
from opskit.policy.config import Config
from opskit.policy.diagnostics import Diagnostics, Level, Position
from opskit.policy.model import SlaTier
from opskit.time import zones

WEEKS = 4


def stage(context: Context, config: Config | None, diagnostics: Diagnostics) -> None:
    if config is None or not (config.root / snapshot.NAME).is_file():
        return
    path = _shown(config.root / snapshot.NAME)
    try:
        committed = snapshot.load(path)
    except snapshot.SnapshotError as error:
        where = Position(str(error.path), error.line, error.column)
        diagnostics.add(where, RULE, error.message)
        return
    policy = context.policy
    missing_zone: list[Desk] = []

    def measured(desk: Desk) -> Measured:
        on = committed.on(desk.zone)
        if on is None:
            missing_zone.append(desk)
            return snapshot.Snapshot(path, committed.since, committed.until, 0)
        return on

    start = zones.to_datetime(reference(context.settings.get("now")))
    try:
        found = report.run(policy, measured, since=committed.since, until=committed.until,
                           tickets=committed.tickets, start=start, weeks=WEEKS,
                           chosen=Scenario(), seed=None)  # fmt: skip
    except (UsageError, snapshot.SnapshotError, ValueError) as error:
        diagnostics.add(Position(str(path), 1, 1), RULE, str(error))
        return
    for desk in missing_zone:
        diagnostics.add(Position(str(path), 1, 1), RULE,
                        f"the snapshot has no demand on {desk.zone}'s clock (desk {desk.name}): "
                        "run opskit capacity snapshot again", level=Level.WARNING)  # fmt: skip
    tiers = policy.tiers
    for f in found.findings():
        tier = tiers[f.tier]
        diagnostics.add(
            _goal_position(tier, f.priority), RULE,
            f"{f.tier} {f.priority}: {percent(f.goal)} of first responses within {f.target} "
            f"cannot be kept {hour_ranges(f.hours)} ({f.zone}): as low as {percent(f.worst)}; "
            f"{f.missing} more {'person' if f.missing == 1 else 'people'} on shift needed "
            f"(desk {f.desk}, demand of {snapshot.NAME}, {committed.since:%Y-%m-%d} to "
            f"{committed.until:%Y-%m-%d})",
        )  # fmt: skip


def _shown(path: Path) -> Path:
    """Relative to the working folder when inside it, as policy files are reported."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _goal_position(tier: SlaTier, priority: str) -> Position:
    if tier.targets.get(priority) and tier.targets[priority].attainment is not None:
        return tier.source.at("targets", priority, "attainment")
    return tier.source.at("capacity", "attainment")
