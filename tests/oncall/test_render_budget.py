"""The render budget: what drawing rotations would take is counted from the policy first,
and a run past it is refused up front, by validate and by the on-call commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.cli import cli
from opskit.deliverability.checks import DRAWING
from opskit.oncall import budget, render
from opskit.policy import yaml_nodes
from opskit.policy.config import Config
from opskit.policy.validate import validate_files
from opskit.rules import validate_stages
from opskit.time import zones
from tests.oncall.test_render_properties import rotation, shapes, windows

EXAMPLE = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "invalid"
    / "render-budget--eight-rotations-of-twenty-hourly-layers.yaml"
)
RENDERING = set(DRAWING)


def heavy(rotations: int, *, layers_of_the_last: int = 20, others: int = 20) -> str:
    """The example's people and team, and its first `rotations` heavy rotations."""
    docs = EXAMPLE.read_text().split("---\n")
    head, sun = docs[:3], docs[3 : 3 + rotations]
    trimmed = [
        _layers(doc, layers_of_the_last if i == len(sun) - 1 else others)
        for i, doc in enumerate(sun)
    ]
    return "---\n".join(head + trimmed)


def _layers(doc: str, count: int) -> str:
    return doc.replace("  - *layer\n" * 19, "  - *layer\n" * (count - 1))


def repository(tmp_path: Path, text: str, horizon: str = "13w") -> Path:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "rotations.yaml").write_text(text)
    config = tmp_path / "opskit.yaml"
    config.write_text(f"workspace: t\npolicies: [policies]\nvalidate: {{horizon: {horizon}}}\n")
    return config


def problems(tmp_path: Path, text: str, horizon: str = "13w") -> list[dict[str, object]]:
    config = repository(tmp_path, text, horizon)
    result = CliRunner().invoke(
        cli, ["validate", "--format", "json", "--config", str(config)], catch_exceptions=False
    )
    found: list[dict[str, object]] = json.loads(result.output)["problems"]
    return found


@settings(max_examples=60, deadline=None)
@given(shapes, st.booleans(), windows)
def test_the_count_bounds_what_rendering_makes(
    shape: tuple[str, str, str, int], restricted: bool, window: tuple[int, int]
) -> None:
    lo, length = window
    rot = rotation(*shape, restricted)
    assert len(render.render(rot, lo, lo + length)) <= budget.pieces(rot, length)


def test_twenty_hourly_layers_count_a_quarter_of_turns_each() -> None:
    rot = rotation("UTC", "1h", "00:00", 2, False)
    quarter = 13 * 7 * zones.DAY
    assert budget.pieces(rot, quarter) == 2184 + 2  # a turn an hour, and two cut by the ends
    assert budget.pieces(rotation("UTC", "1w", "00:00", 2, False), quarter) == 13 + 2


def test_below_the_budget_every_rule_draws(tmp_path: Path) -> None:
    found = problems(tmp_path, heavy(7))  # 7 x about 138,000 pieces: under 1,007,000
    rules = {p["rule"] for p in found}
    assert "render-budget" not in rules
    assert "follow-the-sun-nights" in rules  # drawn: everyone works nights here


def test_past_the_budget_one_problem_at_the_heaviest_rotation(tmp_path: Path) -> None:
    text = heavy(8, layers_of_the_last=20, others=19)  # sun-8 is the heaviest
    found = problems(tmp_path, text)
    budgeted = [p for p in found if p["rule"] == "render-budget"]
    assert len(budgeted) == 1
    (problem,) = budgeted
    lines = text.splitlines()
    rotation_line = lines.index("name: sun-8")
    assert problem["line"] == next(
        i + 2 for i, line in enumerate(lines) if i > rotation_line and line == "layers:"
    )
    assert problem["level"] == "error"
    message = str(problem["message"])
    most = re.search(r"the most: 'sun-8' \(([0-9,]+)\), 'sun-1' \(([0-9,]+)\), 'sun-2' \(", message)
    assert most, message
    assert int(most[1].replace(",", "")) > int(most[2].replace(",", ""))
    assert "shorten validate.horizon" in message
    assert not RENDERING & {p["rule"] for p in found}  # they stood down


def test_past_the_budget_the_other_rules_still_run(tmp_path: Path) -> None:
    text = heavy(8).replace("leads: [ada]", "leads: [ada, nobody]")
    rules = {p["rule"] for p in problems(tmp_path, text)}
    assert rules == {"render-budget", "ref-unknown"}


def test_a_shorter_horizon_fits_the_same_rotations(tmp_path: Path) -> None:
    rules = {p["rule"] for p in problems(tmp_path, heavy(8), horizon="4w")}
    assert "render-budget" not in rules
    assert "follow-the-sun-nights" in rules


def oncall(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["oncall", *args, "--config", str(config)])


@pytest.mark.parametrize(
    "command",
    [["show"], ["export-ical"], ["fairness"], ["gaps"], ["who"]],
    ids=lambda c: c[0],
)
def test_oncall_commands_refuse_a_window_past_the_budget(
    tmp_path: Path, command: list[str]
) -> None:
    config = repository(tmp_path, heavy(8))
    result = oncall(config, *command)
    assert result.exit_code == 2, result.output
    assert "more than the 1,008,000 one run renders" in result.output
    assert "'sun-1' (" in result.output
    assert "Traceback" not in result.output


def test_oncall_show_of_one_heavy_rotation_fits(tmp_path: Path) -> None:
    config = repository(tmp_path, heavy(8))
    result = oncall(config, "show", "--rotation", "sun-1", "--format", "json",
                    "--from", "2026-12-07", "--to", "2026-12-08")  # fmt: skip
    assert result.exit_code == 0, result.output
    shifts = json.loads(result.output)
    assert shifts and {s["rotation"] for s in shifts} == {"sun-1"}


def test_oncall_windows_are_two_years_at_most(tmp_path: Path) -> None:
    config = repository(tmp_path, heavy(1))
    result = oncall(config, "show", "--from", "2026-01-01", "--to", "2099-01-01")
    assert result.exit_code == 2
    assert "--to is more than 731 days after --from" in result.output
    ok = oncall(config, "show", "--rotation", "sun-1", "--format", "csv",
                "--from", "2026-01-01", "--to", "2026-01-02")  # fmt: skip
    assert ok.exit_code == 0, ok.output


def test_a_file_with_many_problems_is_composed_once_for_their_positions(tmp_path: Path) -> None:
    """Each problem's position needs the file's nodes again (runs keep none): one
    composition serves them all, where there was one a problem."""
    text = heavy(1).replace("follow_the_sun: true", "follow_the_sun: false")
    services = "".join(
        f"---\nkind: EscalationLadder\nname: l{i}\nsteps:\n  - notify: [{{person: ada}}]\n"
        f"    escalate_after: 5m\n---\nkind: Service\nname: s{i}\nteam: ops\nladder: l{i}\n"
        "tier: Gold\n"
        for i in range(40)
    )
    tier = (
        "---\nkind: Priority\nname: P1\nlevel: 1\ntitle: Critical\nurgency: high\n---\n"
        "kind: SlaTier\nname: Gold\ncalendar: 24x7\n"
        "targets:\n  P1: {first_response: 15m, resolution: 4h}\n"
    )
    config = repository(tmp_path, text + tier + services)
    before = yaml_nodes._composed.cache_info()
    result = validate_files(
        [tmp_path / "policies"], Config(root=tmp_path), cache=False,
        stages=validate_stages(targets=False),
    )  # fmt: skip
    after = yaml_nodes._composed.cache_info()
    assert config.exists()
    positioned = [d for d in result.diagnostics.items if d.position.line > 1]
    assert len(positioned) >= 40  # a single-person ladder each
    assert (after.hits + after.misses) - (before.hits + before.misses) == 1
