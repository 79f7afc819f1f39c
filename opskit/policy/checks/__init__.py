"""Named rules with stable ids: every problem opskit reports names one of these.

Stage rules are reported by the loader, the schema stage and the builder (they
have no check function); the others run on the built model. A new check plugs in
by adding a line to RULES. Deliverability rules, which render rotations, live a
layer up in `opskit.deliverability` and run as a validate stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from opskit.policy.checks import (
    calendars,
    ladders,
    placeholders,
    playbooks,
    playbooks_flow,
    structure,
    tiers,
)
from opskit.policy.checks.base import Context, Finding
from opskit.policy.diagnostics import Diagnostics, Level
from opskit.policy.loader import MAX_NUMBER_CHARS

__all__ = ["RULES", "Check", "Context", "Finding", "Rule", "run_checks", "run_rules"]

Check = Callable[[Context], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule problems are reported under: stable id, level, summary, check (None: a stage's)."""

    id: str
    level: Level
    summary: str
    check: Check | None = None


_E, _W = Level.ERROR, Level.WARNING
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        # loader
        Rule("encoding", _E, "files are UTF-8"),
        Rule("file-unreadable", _E, "files can be read"),
        Rule("path-outside-repository", _E, "policy paths and symlinks stay inside the repository"),
        Rule("path-unreadable", _E, "policy paths are regular files and folders, with no symlink loops"),
        Rule("file-too-large", _E, "files stay under the size limit"),
        Rule("yaml-syntax", _E, "files are well-formed YAML"),
        Rule("yaml-tab", _E, "indentation uses spaces, not tabs"),
        Rule("yaml-duplicate-key", _E, "no key appears twice in a mapping"),
        Rule("yaml-truthy", _E, "yes/no/on/off are not used where text is meant"),
        Rule("yaml-sexagesimal", _E, "times such as 17:30 are quoted (YAML 1.1 base-60 numbers)"),
        Rule("yaml-implicit-date", _E, "dates are quoted strings, not YAML timestamps"),
        Rule("yaml-too-complex", _E, "documents stay small after alias expansion"),
        Rule("yaml-number-too-large", _E, f"numbers have at most {MAX_NUMBER_CHARS} characters"),
        Rule("document-empty", _E, "documents are not empty"),
        Rule("document-not-mapping", _E, "each document is a mapping"),
        Rule("kind-missing", _E, "each document has a kind"),
        Rule("kind-unknown", _E, "kind is one opskit knows"),
        # schema and values
        Rule("schema", _E, "documents match their kind's JSON Schema"),
        Rule("config", _E, "opskit.yaml matches its JSON Schema"),
        Rule("duration-invalid", _E, "durations parse (15m, 4h, 1h30m, 2bd)"),
        Rule("time-invalid", _E, "times and windows are HH:MM on a 24-hour clock"),
        Rule("date-invalid", _E, "dates are real calendar dates"),
        Rule("percent-invalid", _E, "attainment goals lie between 0% and 100%, shrinkage below 100%"),
        Rule("timezone-invalid", _E, "time zones are IANA names"),
        # references
        Rule("name-duplicate", _E, "names are unique within a kind"),
        Rule("email-duplicate", _E, "people's emails are unique"),
        Rule("ref-unknown", _E, "every referenced name exists"),
        Rule("remote-key-duplicate", _E, "no two policies become one object in a target, by the names it compares"),
        # semantics
        Rule("holiday-country-invalid", _E, "holiday countries are known", calendars.country),
        Rule("holiday-subdivision-invalid", _E, "holiday subdivisions are known", calendars.subdivision),
        Rule("hours-inverted", _E, "windows end after they start", calendars.inverted),
        Rule("hours-overlap", _E, "a day's working windows do not overlap", calendars.overlap),
        Rule("override-inverted", _E, "overrides end after they start", calendars.overrides),
        Rule("roster-change-order", _E, "a layer's roster changes come after the rotation's start, oldest first"),
        Rule("priority-level-duplicate", _E, "priority levels are unique", structure.levels),
        Rule("team-lead-not-member", _W, "team leads are team members", structure.leads),
        Rule("sla-target-order", _E, "response and update targets fit inside resolution", tiers.order),
        Rule("tier-missing-priority", _E, "tiers have targets for every priority their services use", tiers.coverage),
        Rule(placeholders.RULE_ID, _E, placeholders.RULE_SUMMARY, placeholders.unknown_placeholders),
        Rule("ladder-step-targets", _E, "a ladder step has at most 10 targets (PagerDuty)", ladders.targets),
        Rule("ladder-repeat-range", _E, "ladders repeat 0..9 times (PagerDuty)", ladders.repeat),
        Rule("ladder-delay-min", _E, "steps escalate after at least 1 minute (PagerDuty)", ladders.delay),
        Rule("playbook-step-duplicate", _E, "playbook step ids are unique", playbooks.duplicates),
        Rule("playbook-goto-unknown", _E, "decide options and on_timeout lead to existing steps", playbooks.gotos),
        Rule("playbook-template-invalid", _E, "playbook templates and when expressions parse", playbooks_flow.template_syntax),
        Rule("playbook-unknown-reference", _E, "templates name declared inputs and earlier steps", playbooks_flow.unknown_references),
        Rule("playbook-unreachable-step", _E, "every playbook step can be reached", playbooks_flow.unreachable),
        Rule("playbook-cycle-without-wait", _E, "a loop of decide steps has a wait step in it", playbooks_flow.cycles_without_wait),
        Rule("playbook-program-not-found", _W, "run steps' programs are on PATH or in the repository", playbooks_flow.programs),
    ]
}  # fmt: skip


def run_checks(context: Context, diagnostics: Diagnostics) -> None:
    run_rules(RULES, context, diagnostics)


def run_rules(rules: Mapping[str, Rule], context: Context, diagnostics: Diagnostics) -> None:
    for rule in rules.values():
        if rule.check is None:
            continue
        for position, message in rule.check(context):
            diagnostics.add(position, rule.id, message, level=rule.level)
