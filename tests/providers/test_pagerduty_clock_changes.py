"""What validate warns of a restriction on a clock-change day, the plan says at the same line."""

from __future__ import annotations

from pathlib import Path

from opskit.policy.validate import validate_files
from opskit.providers.pagerduty import desired
from opskit.rules import validate_stages

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "invalid"


def test_the_plan_repeats_validates_clock_change_warning() -> None:
    path = EXAMPLE / "restriction-dst-gap--weekend-layer-on-the-autumn-sunday.yaml"
    result = validate_files([path], stages=validate_stages(targets=False))
    [found] = [d for d in result.diagnostics.items if d.rule == "restriction-dst-gap"]
    _, warnings = desired.desired(result.policy)
    said = [w for w in warnings if "clock" in w.message or found.message in w.message]
    assert [str(w.source) for w in said] == [str(found.position)]
    assert said[0].message.endswith(found.message) and not said[0].error


def test_no_warning_where_nothing_differs() -> None:
    path = Path(__file__).resolve().parents[1] / "data" / "valid" / "follow-the-sun-24x7.yaml"
    _, warnings = desired.desired(validate_files([path]).policy)
    assert not [w for w in warnings if "clock" in w.message]
