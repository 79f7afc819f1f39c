"""Natural keys: every provider says what its target calls each policy, and validate checks
that no two policies get one name there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from opskit.policy import schemas
from opskit.policy.config import Config, load_config
from opskit.policy.diagnostics import Diagnostics
from opskit.policy.loader import load_text
from opskit.policy.validate import Result, validate_documents, validate_files
from opskit.providers import NATURAL_KEYS, PROVIDERS, check_stages, natural_keys
from opskit.sync.natural_keys import RULE
from opskit.sync.plan import make_plan
from opskit.sync.resources import Desired

REPO = Path(__file__).resolve().parents[2]
BASE = (REPO / "tests" / "data" / "valid" / "minimal-service.yaml").read_text()


def check(extra: str, config: Config | None = None) -> Result:
    diagnostics = Diagnostics()
    documents = load_text("p.yaml", BASE + extra, diagnostics)
    return validate_documents(documents, diagnostics, config, stages=check_stages())


def found(result: Result) -> list[tuple[int, str]]:
    return [(d.position.line, d.message) for d in result.diagnostics.sorted() if d.rule == RULE]


CUSTOMERS = """---
kind: Customer
name: acme
display_name: Acme Corp
tier: Gold
---
kind: Customer
name: acme-corp
organization: acme corp
tier: Gold
---
kind: Customer
name: acme-trial
organization: ACME CORP
tier: Gold
"""


def test_each_policy_of_a_clash_is_reported_at_its_own_line_naming_the_others() -> None:
    result = check(CUSTOMERS)
    lines = BASE.count("\n")
    (first, one), (second, _), (third, _) = found(result)
    assert (first, second, third) == (lines + 4, lines + 9, lines + 14)
    assert one == (
        f"Customer 'acme', Customer 'acme-corp' (at p.yaml:{second}:15) and Customer "
        f"'acme-trial' (at p.yaml:{third}:15) all become Jira Service Management organisation "
        "'Acme Corp' ('acme corp', 'ACME CORP' are the same name there: case does not count); "
        "one object cannot be both: give each its own organization"
    )
    assert result.diagnostics.errors == 3


def test_names_that_are_apart_in_every_target_pass() -> None:
    distinct = CUSTOMERS.replace("organization: acme corp", "organization: Acme Corp EU").replace(
        "organization: ACME CORP", "organization: Acme trial"
    )
    assert found(check(distinct)) == []


def test_pagerduty_compares_names_exactly() -> None:
    """'ops' and 'Ops' are two teams in PagerDuty (and two policies): no clash."""
    result = check("---\nkind: Team\nname: Ops\nmembers: [ada]\n")
    assert found(result) == []


def test_a_service_clashes_through_the_component_it_takes_by_default() -> None:
    extra = (
        "---\nkind: Service\nname: web\nteam: ops\nladder: main\ntier: Gold\njira_component: API\n"
    )
    [(line_api, message), (line_web, _)] = found(check(extra))
    assert message.startswith("Service 'api' and Service 'web'")
    assert "Jira component 'api' ('API' is the same name there" in message
    assert "give each its own jira_component" in message
    assert line_api < line_web


def test_only_the_targets_opskit_yaml_enables_are_checked(tmp_path: Path) -> None:
    (tmp_path / "opskit.yaml").write_text(
        "workspace: w\ntargets:\n  pagerduty: {}\n  jira:\n    enabled: false\n"
    )
    config = load_config(tmp_path / "opskit.yaml", Diagnostics())
    assert found(check(CUSTOMERS, config)) == []
    (tmp_path / "opskit.yaml").write_text("workspace: w\ntargets:\n  jira: {projects: [SUP]}\n")
    config = load_config(tmp_path / "opskit.yaml", Diagnostics())
    assert len(found(check(CUSTOMERS, config))) == 3


def test_every_target_declares_its_keys_for_real_kinds() -> None:
    assert set(NATURAL_KEYS) == set(PROVIDERS)
    for target in NATURAL_KEYS:
        declared = natural_keys(target)
        assert declared and set(declared) <= set(schemas.KINDS), target


def test_declared_keys_are_the_names_the_providers_create() -> None:
    """The declarations agree with the providers' own mapping of the example policies."""
    from opskit.providers.jira import desired as jira
    from opskit.providers.jira.settings import Settings
    from opskit.providers.pagerduty import desired as pagerduty

    config = load_config(REPO / "opskit.yaml", Diagnostics())
    policy = validate_files(config.policy_paths, config).policy
    made = {
        "jira": jira.desired(policy, Settings(["SUP"], "SUP"), {})[0],
        "pagerduty": pagerduty.desired(policy)[0],
    }
    tables: dict[str, dict[str, Any]] = {"Priority": policy.priorities, "Service": policy.services, "SlaTier": policy.tiers,
              "Customer": policy.customers, "Team": policy.teams, "Rotation": policy.rotations,
              "EscalationLadder": policy.ladders}  # fmt: skip
    for target, resources in made.items():
        for kind, key in natural_keys(target).items():
            if kind not in tables:
                continue
            names = {key.name(item) for item in tables[kind].values()}
            fields = [d.fields for d in resources if d.type == key.type]
            # PagerDuty priorities are found, never made; every other key is a made name
            if not fields:
                assert (target, kind) == ("pagerduty", "Priority")
                continue
            assert {f.get("name", f.get("value")) for f in fields} == names, (target, kind)


def test_validate_reads_the_declarations_without_the_clients() -> None:
    """`opskit validate` is benchmarked: the keys must not drag in the target clients."""
    code = (
        "import sys\n"
        "from opskit.cli import main\n"
        "sys.argv = ['opskit', 'validate', '--no-cache']\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pagerduty', 'jira', 'requests')"
        " or m.startswith(('opskit.providers.jira.client', 'opskit.providers.pagerduty.client')))\n"
        "assert 'opskit.providers.jira.keys' in sys.modules, 'the stage did not run'\n"
        "print(heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("same", [True, False])
def test_the_engine_never_merges_two_policies_into_one_object(same: bool) -> None:
    """Whoever calls the engine without validating first still gets an error, not a merge."""
    from opskit.policy.diagnostics import Position

    one = Desired("organization", "Acme", {"tier": "Premium"}, Position("a.yaml", 3, 7))
    other = Desired(
        "organization",
        "Acme",
        {"tier": "Premium" if same else "Business"},
        Position("a.yaml", 9, 7),
    )
    plan = make_plan("jira", "w", ["organization"], [one, other], [])
    assert [(str(w.source), w.error) for w in plan.errors] == [
        ("a.yaml:3:7", True),
        ("a.yaml:9:7", True),
    ]
    assert "made from two policies (the other at a.yaml:9:7)" in plan.errors[0].message
    twice = make_plan("jira", "w", ["organization"], [one, one], [])
    assert twice.errors == []  # one policy said twice is still one
