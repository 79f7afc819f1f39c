"""A saved plan applies as made, for every target of the full example, and only while the
account is as it was when the plan was made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from opskit.cli import cli
from tests.providers.test_ci_output import both  # noqa: F401 - the fixture

TARGETS = ("pagerduty", "jira")


def opskit(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("target", TARGETS)
def test_plan_out_then_apply_it_at_once(both: Path, target: str) -> None:  # noqa: F811
    saved = both / f"{target}.json"
    planned = opskit("plan", "--target", target, "--out", str(saved))
    assert planned.exit_code == 0, planned.output
    applied = opskit("apply", str(saved), "--yes", "--format", "json")
    assert applied.exit_code == 0, applied.output
    [result] = json.loads(applied.stdout)["targets"]
    assert result["status"] == "applied" and result["applied"]["done"]["create"] > 0
    after = json.loads(opskit("plan", "--target", target, "--format", "json").stdout)
    assert after["pending"] is False, [
        (c["action"], c["type"], c["key"]) for c in after["targets"][0]["changes"]
        if c["action"] != "unchanged"
    ]
    # applied once, the same saved plan is stale: the account is no longer what it was
    again = opskit("apply", str(saved), "--yes")
    assert again.exit_code == 3 and "changed since this plan was made" in again.output


def test_a_second_saved_plan_over_an_applied_account(both: Path) -> None:  # noqa: F811
    assert opskit("apply", "--yes").exit_code == 0
    for target in TARGETS:
        saved = both / f"{target}-2.json"
        assert opskit("plan", "--target", target, "--out", str(saved)).exit_code == 0
        applied = opskit("apply", str(saved), "--yes")
        assert applied.exit_code == 0, applied.output


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (None, "is larger than 64 MiB: not an opskit plan"),  # /dev/zero: endless
        (b"not json", "is not an opskit plan"),
        (b'{"target": "pagerduty"}', "is not an opskit plan"),
    ],
)
def test_a_saved_plan_that_is_not_one_is_refused_before_anything_is_read_or_written(
    both: Path, tmp_path: Path, content: bytes | None, said: str  # noqa: F811
) -> None:
    saved = Path("/dev/zero")
    if content is not None:
        saved = tmp_path / "plan.json"
        saved.write_bytes(content)
    before = json.loads(opskit("plan", "--format", "json").stdout)
    refused = CliRunner().invoke(cli, ["apply", str(saved), "--yes"])
    assert refused.exit_code == 2 and said in refused.output, refused.output
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    assert json.loads(opskit("plan", "--format", "json").stdout) == before  # nothing written
