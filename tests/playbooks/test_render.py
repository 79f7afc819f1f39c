from __future__ import annotations

import pytest

from opskit.playbooks import render


def names() -> dict[str, object]:
    return render.context({"service": "api"}, {"open-incident": {"key": "OPS-1"}})


def test_inputs_and_outputs_by_id_with_dashes_or_underscores() -> None:
    text = "{{ inputs.service }} {{ steps['open-incident'].key }} {{ steps.open_incident.key }}"
    assert render.render_string(text, names(), "step s") == "api OPS-1 OPS-1"


def test_every_string_of_nested_values_is_rendered() -> None:
    values = {
        "argv": ["echo", "{{ inputs.service }}"],
        "json": {"a": ["{{ inputs.service }}"]},
        "n": 3,
    }
    assert render.render_value(values, names(), "step s") == {
        "argv": ["echo", "api"], "json": {"a": ["api"]}, "n": 3,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ inputs.region }}", "step s.argv[1]: 'dict object' has no attribute 'region'"),
        ("{{ inputs.service", "step s.argv[1]: template syntax error"),
        ("{{ ''.__class__.__mro__ }}", "step s.argv[1]"),
        ("{{ 'x' * 100000 }}", "renders to more than 64 KiB"),
    ],
)
def test_a_bad_template_is_a_one_line_problem_naming_the_step(template: str, message: str) -> None:
    with pytest.raises(render.TemplateProblem) as problem:
        render.render_value({"argv": ["echo", template]}, names(), "step s")
    assert message in str(problem.value)
    assert "\n" not in str(problem.value)


def test_when_expressions() -> None:
    assert render.evaluate("inputs.service == 'api'", names(), "w") is True
    assert render.evaluate("{{ steps.open_incident.key == 'OPS-2' }}", names(), "w") is False
    assert render.evaluate(False, names(), "w") is False
    with pytest.raises(render.TemplateProblem, match="w: "):
        render.evaluate("inputs.nope", names(), "w")


def test_dry_run_shows_outputs_not_known_yet() -> None:
    dry = render.context({"service": "api"}, {}, dry_run=True)
    text = "{{ steps['open-incident'].key }} {{ steps.open_incident.key }}"
    assert (
        render.render_string(text, dry, "s")
        == "<steps.open-incident.key> <steps.open_incident.key>"
    )
