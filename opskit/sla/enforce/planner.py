"""From clocks to actions: what each tier's `enforce` asks for, less what is already done.

Reads only. Per ticket the metrics are taken in order (first response, next update,
resolution), so two raises on one ticket go one level each, the second from where the
first left it.
"""

from __future__ import annotations

import datetime as dt

from opskit.policy.checks.placeholders import fill
from opskit.policy.model import Enforcement, Policy, Priority, Service, SlaTier
from opskit.sla.assign import priority_of
from opskit.sla.enforce import texts
from opskit.sla.enforce.actions import Action, Kind, Plan, Status, Work
from opskit.sla.enforce.jira_side import Live
from opskit.sla.enforce.markers import Marker, surplus
from opskit.sla.enforce.pagerduty_side import Trigger
from opskit.sla.enforce.record import MetricRecord, Raise
from opskit.sla.enforce.sources import NO_SERVICE, Sources
from opskit.sla.model import Clock, Metric, State, Ticket

ACTIONABLE = (State.AT_RISK, State.BREACHED)
METRICS = list(Metric)


def due(ticket: Ticket, policy: Policy) -> list[tuple[Clock, Enforcement]]:
    """The ticket's open clocks whose state its tier enforces, in metric order."""
    tier = policy.tiers.get(ticket.tier)
    if tier is None:
        return []
    found = [(c, tier.enforce[c.state.value]) for c in ticket.clocks
             if c.open and c.state in ACTIONABLE and c.state.value in tier.enforce]  # fmt: skip
    return sorted(found, key=lambda pair: METRICS.index(pair[0].metric))


def plan(tickets: list[Ticket], policy: Policy, sources: Sources, now: dt.datetime) -> Plan:
    out = Plan()
    for ticket in sorted(tickets, key=lambda t: t.key):
        todo = due(ticket, policy)
        if not todo:
            continue
        live = sources.live(ticket.key)
        priority = live.priority  # moves with the raises planned before
        for clock, enforcement in todo:
            work = Work(ticket, clock)
            planner = _Ticket(policy, sources, ticket, live, work, now)
            priority = planner.actions(enforcement, priority)
            out.works.append(work)
    return out


class _Ticket:
    def __init__(self, policy: Policy, sources: Sources, ticket: Ticket, live: Live,
                 work: Work, now: dt.datetime) -> None:  # fmt: skip
        self.policy, self.sources, self.ticket, self.live = policy, sources, ticket, live
        self.work = work
        self.clock, self.now = work.clock, now
        self.tier: SlaTier = policy.tiers[ticket.tier]
        self.service: Service | None = policy.services.get(ticket.service or "")
        self.done: MetricRecord = live.record.get(self.clock.metric.value, MetricRecord())
        self.values = texts.values(ticket, work.clock)

    def actions(self, enforcement: Enforcement, priority: str | None) -> str | None:
        """Add the actions to the work; the Jira priority once they are done."""
        add = self.work.actions.append
        if enforcement.label:
            add(self._label(enforcement.label))
        if enforcement.raise_priority:
            action = self._raise(priority)
            if action is not None:
                add(action)
                if action.jira_priority is not None:
                    priority = action.jira_priority
        if enforcement.comment is not None:
            marker = Marker(self.clock.metric, self.clock.state)
            body = fill(enforcement.comment.text, self.values)
            add(self._comment(Kind.COMMENT, marker, body, enforcement.comment.public))
        if enforcement.notify_on_call:
            action = self._notify()
            if action is not None:
                add(action)
        if enforcement.page:
            action = self._page()
            if action is not None:
                add(action)
        return priority

    def _label(self, label: str) -> Action:
        if label in self.live.labels:
            return Action(Kind.LABEL, f"label {label}", Status.ALREADY, label=label)
        return Action(Kind.LABEL, f"label {label}", label=label)

    def _raise(self, jira_priority: str | None) -> Action | None:
        raised = self.done.raised
        if raised is not None:
            return self._raise_again(raised, jira_priority)
        current = _by_jira_name(self.policy, jira_priority)
        if current is None:
            self.work.warnings.append(
                f"priority {jira_priority!r} is no policy Priority: not raised"
            )
            return None
        higher = _one_up(self.policy, self.tier, current)
        if higher is None:
            return Action(Kind.RAISE_PRIORITY, f"priority {current.name} is already the top",
                          Status.ALREADY)  # fmt: skip
        return Action(Kind.RAISE_PRIORITY, f"priority {current.name} -> {higher.name}",
                      raised=Raise(current.name, higher.name), jira_priority=higher.jira_name)  # fmt: skip

    def _raise_again(self, raised: Raise, jira_priority: str | None) -> Action:
        """A raise recorded before: done, or left half-done by a crash (complete it)."""
        what = f"priority {raised.from_priority} -> {raised.to_priority}"
        if raised.applied:
            return Action(Kind.RAISE_PRIORITY, what, Status.ALREADY, raised=raised)
        now = _by_jira_name(self.policy, jira_priority)
        if now is not None and now.name == raised.from_priority:
            target = self.policy.priorities[raised.to_priority].jira_name
            return Action(Kind.RAISE_PRIORITY, what + " (completing)", raised=raised,
                          jira_priority=target, intent_written=True)  # fmt: skip
        # Raised already (or changed by hand since): only the record is left to finish.
        return Action(
            Kind.RAISE_PRIORITY, what + " (recording)", raised=raised, intent_written=True
        )

    def _comment(self, kind: Kind, marker: Marker, body: str, public: bool) -> Action:
        kind_text = "public comment" if public else "internal comment"
        what = f"{kind_text}: {texts.quote(body)}"
        extra = [c.id for c in surplus(self.live.comments, marker)]
        if any(c.marker == marker for c in self.live.comments):
            if extra:
                return Action(kind, f"remove {len(extra)} duplicate {kind_text}(s)", marker=marker,
                              surplus=tuple(extra))  # fmt: skip
            return Action(kind, what, Status.ALREADY, marker=marker)
        return Action(kind, what, body=marker.sign(body), public=public, marker=marker)

    def _notify(self) -> Action | None:
        if self.service is None:
            self.work.warnings.append("the ticket has no service: nobody to notify on call")
            return None
        on_call = self.sources.roster.first_step(self.service)
        if not on_call.people:
            rotations = ", ".join(on_call.unstaffed) or "no rotation"
            self.work.warnings.append(f"nobody is on call in step 1 of ladder "
                                      f"{self.service.ladder.name!r} ({rotations}): nobody notified")  # fmt: skip
            return None
        mentions = [texts.mention(p, self.sources.account(p.email)) for p in on_call.people]
        body = texts.notify_text(mentions, self.service, self.values)
        action = self._comment(Kind.NOTIFY_ON_CALL, Marker(self.clock.metric, self.clock.state, True),
                               body, public=False)  # fmt: skip
        action.what = (
            f"notify on call {', '.join(p.full_name for p in on_call.people)} (internal comment)"
        )
        return action

    def _page(self) -> Action | None:
        if self.service is None:
            self.work.warnings.append("the ticket has no service: nothing to page")
            return None
        name, state = self.service.name, self.clock.state.value
        dedup = f"opskit-sla/{self.ticket.key}/{self.clock.metric.value}"
        what = f"page PagerDuty service {name} (dedup key {dedup})"
        if state in self.done.paged:
            return Action(Kind.PAGE, what, Status.ALREADY)
        key = self.sources.routing_key(name)
        if key is NO_SERVICE:
            self.work.warnings.append(f"PagerDuty has no service named {name!r}: not paged")
            return None
        if not isinstance(key, str):
            self.work.warnings.append(f"PagerDuty service {name!r} has no Events API v2 "
                                      "integration: not paged (add one in PagerDuty)")  # fmt: skip
            return None
        trigger = Trigger(key, dedup, texts.page_summary(self.values), texts.severity(self.clock),
                          dict(self.values), self.sources.browse(self.ticket.key))  # fmt: skip
        return Action(Kind.PAGE, what, trigger=trigger)


def _by_jira_name(policy: Policy, jira_name: str | None) -> Priority | None:
    """As the clocks map it (so a ticket measured as P3 is raised from P3)."""
    return None if jira_name is None else priority_of(jira_name, policy)


def _one_up(policy: Policy, tier: SlaTier, current: Priority) -> Priority | None:
    """The priority with the next lower level number among those the tier has targets for."""
    above = [
        p for p in policy.priorities.values() if p.name in tier.targets and p.level < current.level
    ]
    return max(above, key=lambda p: p.level) if above else None
