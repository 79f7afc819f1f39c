"""`opskit test --format junit`: JUnit XML, the format every CI system shows as test results."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.policy.diagnostics import Diagnostic, Position, printable


@dataclass(frozen=True, slots=True)
class Case:
    """One PolicyTest and what failed in it (nothing when it passed)."""

    name: str
    position: Position
    failures: Sequence[tuple[Position, str]]


def junit_xml(cases: Sequence[Case], policy_errors: Sequence[Diagnostic]) -> str:
    """A testsuite of the scenarios; errors in the policies are one erroring case of their own,
    since no scenario's result can be trusted over broken policies."""
    suite = ET.Element("testsuite", name="opskit test")
    failures = 0
    for case in cases:
        element = ET.SubElement(
            suite,
            "testcase",
            classname="opskit.policytest",
            name=printable(case.name),
            file=printable(case.position.path),
            line=str(case.position.line),
        )
        if case.failures:
            failures += 1
            first = printable(case.failures[0][1])
            failure = ET.SubElement(element, "failure", message=first, type="policy-test")
            failure.text = "\n".join(
                printable(f"{where}: {message}") for where, message in case.failures
            )
    if policy_errors:
        element = ET.SubElement(suite, "testcase", classname="opskit.policies", name="policies")
        error = ET.SubElement(
            element, "error", message=f"{len(policy_errors)} error(s) in the policies", type="validate"
        )
        # XML 1.0 cannot hold control characters at all: file names and values are escaped
        error.text = "\n".join(
            printable(f"{p.position}: {p.message} [{p.rule}]") for p in policy_errors
        )
    total = len(cases) + bool(policy_errors)
    suite.set("tests", str(total))
    suite.set("failures", str(failures))
    suite.set("errors", str(int(bool(policy_errors))))
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name="opskit", tests=str(total))
    root.set("failures", str(failures))
    root.set("errors", str(int(bool(policy_errors))))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
