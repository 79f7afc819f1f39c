"""Named rules with stable ids: every problem opskit reports names one of these.

Stage rules are reported by the loader, the schema stage and the builder (they
have no check function); the others run on the built model. A new check plugs in
by adding a line to RULES.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from opskit.policy.checks import calendars, deliverability, ladders, playbooks, structure, tiers
from opskit.policy.checks.base import Context, Finding
from opskit.policy.diagnostics import Diagnostics, Level
from opskit.policy.loader import MAX_NUMBER_CHARS

__all__ = ["RULES", "Check", "Context", "Finding", "Rule", "run_checks"]

Check = Callable[[Context], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
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
        Rule("priority-level-duplicate", _E, "priority levels are unique", structure.levels),
        Rule("team-lead-not-member", _W, "team leads are team members", structure.leads),
        Rule("sla-target-order", _E, "response and update targets fit inside resolution", tiers.order),
        Rule("tier-missing-priority", _E, "tiers have targets for every priority their services use", tiers.coverage),
        Rule("ladder-step-targets", _E, "a ladder step has at most 10 targets (PagerDuty)", ladders.targets),
        Rule("ladder-repeat-range", _E, "ladders repeat 0..9 times (PagerDuty)", ladders.repeat),
        Rule("ladder-delay-min", _E, "steps escalate after at least 1 minute (PagerDuty)", ladders.delay),
        Rule("playbook-step-duplicate", _E, "playbook step ids are unique", playbooks.duplicates),
        Rule("playbook-goto-unknown", _E, "decide options lead to existing steps", playbooks.gotos),
        # deliverability
        Rule("ladder-slower-than-sla", _E, "the first step escalates before the first response is due", ladders.too_slow),
        Rule("ladder-single-person", _E, "a ladder for the top priority reaches two people", ladders.single_person),
        Rule("coverage-gap", _E, "the first step of a service's ladder covers its promised hours", deliverability.coverage_gap),
        Rule("holiday-uncovered", _E, "promised hours stay covered on holidays of restriction calendars", deliverability.holiday_uncovered),
        Rule("ladder-24x7-single-person", _E, "a 24x7 tier's ladder reaches two distinct people", deliverability.single_person_24x7),
        Rule("double-booked", _E, "escalating reaches someone new: nobody is on call in two steps of a ladder at once", deliverability.double_booked),
        Rule("second-person-late", _E, "a step with nobody on call does not delay the second person past the first response", deliverability.second_person_late),
        Rule("follow-the-sun-nights", _W, "follow-the-sun rotations keep people off nights (22:00-07:00 local)", deliverability.follow_the_sun_nights),
        Rule("restriction-dst-gap", _W, "restriction windows mean local time: PagerDuty, which runs them for their length in real time, pages whom they mean on clock-change days", deliverability.restriction_dst_gap),
    ]
}  # fmt: skip


def run_checks(context: Context, diagnostics: Diagnostics) -> None:
    for rule in RULES.values():
        if rule.check is None:
            continue
        for position, message in rule.check(context):
            diagnostics.add(position, rule.id, message, level=rule.level)
