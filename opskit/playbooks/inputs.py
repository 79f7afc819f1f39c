"""A run's inputs: `--input NAME=VALUE` and the --service/--ticket/--customer shortcuts,
checked against the policy before anything runs (templates read them as `inputs.NAME`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from opskit.errors import UsageError
from opskit.policy.model import Playbook, Policy

NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
TICKET = re.compile(r"^[A-Z][A-Z0-9_]{0,31}-[1-9][0-9]{0,9}$")
MAX_VALUE = 4096


def build_inputs(
    policy: Policy,
    playbook: Playbook,
    pairs: Sequence[str],
    *,
    service: str | None = None,
    ticket: str | None = None,
    customer: str | None = None,
) -> tuple[dict[str, str], list[str]]:
    """The inputs, and warnings to show (a service the playbook is not written for)."""
    from opskit.policy.schemas import suggest

    inputs: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not NAME.match(name):
            raise UsageError(
                f"--input {pair[:60]!r}: use NAME=VALUE, NAME in lower case (a-z, 0-9, _)"
            )
        if name in inputs:
            raise UsageError(f"--input {name} is given twice")
        if len(value) > MAX_VALUE:
            raise UsageError(f"--input {name}: longer than {MAX_VALUE} characters")
        inputs[name] = value
    for key, given in (("service", service), ("ticket", ticket), ("customer", customer)):
        if given is not None:
            if key in inputs and inputs[key] != given:
                raise UsageError(f"--{key} and --input {key}=... disagree")
            inputs[key] = given
    _declared(playbook, inputs)
    warnings: list[str] = []
    if inputs.get("service"):
        name = inputs["service"]
        if name not in policy.services:
            raise UsageError(f"--service: no service {name!r}{suggest(name, policy.services)}")
        written_for = [s.name for s in playbook.services]
        if written_for and name not in written_for:
            warnings.append(
                f"playbook {playbook.name} is written for {', '.join(written_for)}, not {name}"
            )
    if inputs.get("customer"):
        name = inputs["customer"]
        if name not in policy.customers:
            raise UsageError(f"--customer: no customer {name!r}{suggest(name, policy.customers)}")
    if inputs.get("ticket") and not TICKET.match(inputs["ticket"]):
        raise UsageError(f"--ticket: {inputs['ticket'][:40]!r} is not a Jira key such as OPS-123")
    return inputs, warnings


def _declared(playbook: Playbook, inputs: dict[str, str]) -> None:
    """The playbook's declared inputs: a missing required one is a usage error; a missing
    optional one takes its default, else "" (so `when: "{{ inputs.ticket }}"` is false)."""
    missing = []
    for name, spec in playbook.inputs.items():
        if name in inputs:
            continue
        if "default" in spec:
            inputs[name] = str(spec["default"])
        elif spec.get("required"):
            missing.append(name)
        else:
            inputs[name] = ""
    if missing:
        flags = ", ".join(
            f"--{n}" if n in ("service", "ticket", "customer") else f"--input {n}=..."
            for n in missing
        )
        raise UsageError(f"playbook {playbook.name} needs {flags}")

