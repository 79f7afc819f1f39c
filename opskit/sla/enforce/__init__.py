"""`opskit sla enforce`: act on SLA clocks at risk or breached, as each ticket's tier says.

Safe from cron every few minutes, on several machines at once: what was done is kept in
Jira and PagerDuty, never in a local file, and each action checks the remote before acting.

| action         | how it is done once                                                      |
|----------------|--------------------------------------------------------------------------|
| label          | labels are a set: `update.labels.add` of a present label changes nothing |
| raise priority | the issue property `opskit.sla.enforced` records `from`/`to` per metric  |
|                | *before* the priority changes, then `applied`; raised once per metric    |
| comment        | a marker `(opskit sla: <metric> <state>)` ends the text; posted only if  |
| on-call note   | no comment has it (the note has its own marker, `... notify`)            |
| page           | Events v2 dedup key `opskit-sla/<KEY>/<metric>`; the property records    |
|                | the states paged, so a resolved incident is not opened again             |

Order, per ticket: the raise's record; then per clock label, priority, comment, on-call
note, page; then the record of what was done. A crash at any point leaves a state the
next run completes without repeating: a label or priority already set is seen, a raise
recorded but not applied is completed (or, if the priority moved already, only recorded),
a marked comment is seen, and a page sent but not recorded is sent again with the same
dedup key, which PagerDuty folds into the open incident.

Two runs at once. Comments: each run posts, then lists the ticket's comments and deletes
every comment carrying its marker except the one with the lowest id (if opskit's account
wrote it). Jira numbers comments in the order they are made and a list made after a post
sees every comment made before it, so the lowest-id copy C was made first; every other
run's list comes after its own (later) post and so sees C and deletes its own copy; C's
run sees no lower id and keeps C. Hence exactly one copy remains once both runs finish,
whatever their interleaving. What remains: for the moments between a duplicate's post
and its deletion both copies exist, so a *public* duplicate may be emailed to the
customer; and a run killed between its post and its check leaves its copy until the next
run, which removes it by the same rule. Labels and pages are idempotent on the server.
The property is merged entry by entry (read, merge, write); two runs writing it within
the same round trip can lose the other's entry, which is harmless for labels, comments
and pages (checked on the ticket and deduplicated by PagerDuty) and, for a raise, needs
both runs to disagree on the raise inside that round trip.

`--dry-run` reads as much as a run (to know what is done already) and writes nothing.
"""

from __future__ import annotations

from opskit.sla.enforce.actions import Action, Kind, Plan, Status, Work
from opskit.sla.enforce.execute import Executor
from opskit.sla.enforce.planner import plan
from opskit.sla.enforce.sources import Sources

__all__ = ["Action", "Executor", "Kind", "Plan", "Sources", "Status", "Work", "plan"]
