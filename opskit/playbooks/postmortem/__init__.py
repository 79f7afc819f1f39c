"""A run's postmortem: Markdown or HTML, from its journal and what the targets recorded.

Sections: the summary (playbook, inputs, who ran it, start, end, duration, final state,
notes), the timeline (every event in UTC and, unless it is UTC, the incident's zone),
what was done (each step: outcome, adopted, message, notes, answers), who was paged (the
`page` and `notify` steps, and from PagerDuty's log entries who was notified, who
acknowledged and how long after the page, who resolved), the SLA outcomes (clocks read by
`sla` steps during the run, and the linked tickets' clocks when the postmortem is
written), the Jira issues (one entry an issue, with what each step did to it) and the
open follow-ups (steps failed, in flight or not reached, notes, checklist items answered
no).

`compose` makes the document: `remote.read` does the reading (`playbook postmortem
--offline` skips it) and `build` puts the journal and that together; `markdown` and
`html` write it.
"""

from opskit.playbooks.postmortem.clock import zone, zone_for
from opskit.playbooks.postmortem.compose import compose
from opskit.playbooks.postmortem.document import build
from opskit.playbooks.postmortem.markdown import markdown
from opskit.playbooks.postmortem.page import html
from opskit.playbooks.postmortem.remote import Remote, read

__all__ = ["Remote", "build", "compose", "html", "markdown", "read", "zone", "zone_for"]
