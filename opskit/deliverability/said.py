"""The ladder rules that deliverability rules consult, computed once a run.

`ladder-slower-than-sla` and `ladder-single-person` are reported as rules of their own,
and deliverability rules ask them (per ladder, even) so as not to say the same thing
twice. Kept apart from `checks` because they are policy rules, not deliverability's:
commands that ignore deliverability findings (RULE_IDS) still stop on these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from opskit.policy.checks import ladders
from opskit.policy.checks.base import Context, Finding

LadderRule = Callable[[Context], Iterable[Finding]]
_SAID = "_deliverability_said"


def said(context: Context, rule: LadderRule) -> list[Finding]:
    """What `rule` finds in this context, computed the first time it is asked."""
    found: dict[LadderRule, list[Finding]] = context.settings.setdefault(_SAID, {})
    if rule not in found:
        found[rule] = list(rule(context))
    return found[rule]


def ladder_too_slow(context: Context) -> Iterator[Finding]:
    yield from said(context, ladders.too_slow)


def ladder_single_person(context: Context) -> Iterator[Finding]:
    yield from said(context, ladders.single_person)
