"""Carry out a plan, ticket by ticket, in an order a crash cannot make a rerun repeat.

Per ticket: (1) the record of any priority raise is written first; then per clock
(2) label, (3) priority, (4) comment, (5) on-call note, (6) page; then (7) the record of
what was done. A failed action marks the later actions on the same target (Jira or
PagerDuty) of that ticket skipped; other tickets go on.
"""

from __future__ import annotations

from opskit.providers.jira.client import Api as JiraApi
from opskit.sla.enforce import jira_side
from opskit.sla.enforce.actions import Action, Kind, Plan, Status, Work
from opskit.sla.enforce.markers import surplus
from opskit.sla.enforce.pagerduty_side import Events
from opskit.sla.enforce.record import MetricRecord, Raise, Record
from opskit.sync.apply import TargetError


class Executor:
    def __init__(self, jira: JiraApi, events: Events | None = None) -> None:
        self.jira = jira
        self._events = events

    @property
    def events(self) -> Events:
        if self._events is None:
            self._events = Events()
        return self._events

    def run(self, plan: Plan) -> None:
        plan.dry_run = False
        by_ticket: dict[str, list[Work]] = {}
        for work in plan.works:
            by_ticket.setdefault(work.ticket.key, []).append(work)
        for key, works in by_ticket.items():
            self._ticket(key, works)

    def _ticket(self, key: str, works: list[Work]) -> None:
        failed: set[str] = set()
        intents = _intents(works)
        if intents:
            try:
                jira_side.write_record(self.jira, key, intents)
            except TargetError as error:
                _fail_all(works, "jira", f"recording the priority raise first: {error}")
                failed.add("jira")
        for work in works:
            for action in work.actions:
                if action.status is not Status.PENDING:
                    continue
                if action.target in failed:
                    action.status = Status.SKIPPED
                    continue
                try:
                    self._do(key, action)
                    action.status = Status.DONE
                except TargetError as error:
                    action.status, action.error = Status.FAILED, str(error)
                    failed.add(action.target)
        done = _done(works)
        if done and "jira" not in failed:
            try:
                jira_side.write_record(self.jira, key, done)
            except TargetError as error:
                works[-1].warnings.append(f"could not record what was done: {error}")

    def _do(self, key: str, action: Action) -> None:
        if action.kind is Kind.LABEL:
            assert action.label is not None
            jira_side.add_label(self.jira, key, action.label)
        elif action.kind is Kind.RAISE_PRIORITY:
            if action.jira_priority is not None:
                jira_side.set_priority(self.jira, key, action.jira_priority)
            else:
                action.note = "the priority had been changed already; recorded"
        elif action.kind in (Kind.COMMENT, Kind.NOTIFY_ON_CALL):
            self._comment(key, action)
        else:
            assert action.trigger is not None
            self.events.trigger(action.trigger)

    def _comment(self, key: str, action: Action) -> None:
        assert action.marker is not None
        if action.body is not None:
            jira_side.post_comment(self.jira, key, action.body, public=action.public)
            # Another run may have posted the same comment meanwhile: the lowest id stays.
            extra = [
                c.id for c in surplus(jira_side.marked_comments(self.jira, key), action.marker)
            ]
        else:
            extra = list(action.surplus)
            action.note = f"removed {len(extra)} duplicate(s)"
        for comment_id in extra:
            jira_side.delete_comment(self.jira, key, comment_id)
        if action.body is not None and extra:
            action.note = "another run posted it at the same time; kept the first, removed the rest"


def _intents(works: list[Work]) -> Record:
    out: Record = {}
    for work in works:
        for action in work.actions:
            pending = action.kind is Kind.RAISE_PRIORITY and action.status is Status.PENDING
            if pending and action.raised is not None and not action.intent_written:
                out.setdefault(work.clock.metric.value, MetricRecord()).raised = action.raised
    return out


def _done(works: list[Work]) -> Record:
    """What the record gains: applied raises, pages sent, actions done (or found done)."""
    out: Record = {}
    changed = False
    for work in works:
        item = out.setdefault(work.clock.metric.value, MetricRecord())
        state = work.clock.state.value
        for action in work.actions:
            if action.status not in (Status.DONE, Status.ALREADY):
                continue
            changed |= action.status is Status.DONE
            item.states.setdefault(state, set()).add(action.kind.value)
            if action.kind is Kind.RAISE_PRIORITY and action.raised is not None:
                r = action.raised
                item.raised = Raise(r.from_priority, r.to_priority, applied=True)
            if action.kind is Kind.PAGE:
                item.paged.add(state)
    return out if changed else {}


def _fail_all(works: list[Work], target: str, message: str) -> None:
    """The raises failed (their record could not be written); the rest was not tried."""
    for work in works:
        for action in work.actions:
            if action.status is Status.PENDING and action.target == target:
                raising = action.kind is Kind.RAISE_PRIORITY
                action.status = Status.FAILED if raising else Status.SKIPPED
                action.error = message if raising else None
