"""Every page of the site, rendered from the policies with Jinja2 (autoescaped)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2

from opskit.docs import hours, ladder_svg, oncall_now, playbooks, public, rotations
from opskit.docs.inputs import SiteInput, priorities
from opskit.docs.words import and_join


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the site: where it goes, its template, and what the template is given."""

    path: str  # relative to the site, with forward slashes
    title: str
    template: str
    context: Callable[[SiteInput], dict[str, Any]]
    internal: bool = False
    timed: bool = False  # depends on --now (and says so); the others only on the policies


def _ladders(site: SiteInput) -> dict[str, Any]:
    policy = site.policy
    return {"ladders": [
        {"ladder": x, "diagram": ladder_svg.layout(policy, x),
         "label": ladder_svg.description(policy, x),
         "steps": [ladder_svg.targets(policy, s) for s in x.steps],
         "services": sorted(s.name for s in policy.services_of(x))}
        for x in sorted(policy.ladders.values(), key=lambda x: x.name)
    ]}  # fmt: skip


PAGES = (
    Page("index.html", "How to reach support", "index.html.j2",
         lambda s: {"contacts": public.contacts(s)}),
    Page("tiers.html", "Support tiers and what we promise", "tiers.html.j2",
         lambda s: {"tiers": public.tiers(s)}),
    Page("hours.html", "Support hours and holidays", "hours.html.j2",
         lambda s: {"calendars": hours.calendars(s), "always": hours.round_the_clock(s)},
         timed=True),
    Page("severities.html", "Priorities: how urgent is it?", "severities.html.j2",
         lambda s: {"priorities": priorities(s.policy)}),
    Page("services.html", "Services we support", "services.html.j2",
         lambda s: {"services": public.services(s)}),
    Page("internal/index.html", "Support handbook (internal)", "internal_index.html.j2",
         lambda s: {}, internal=True),
    Page("internal/ladders.html", "Escalation ladders", "internal_ladders.html.j2",
         _ladders, internal=True),
    Page("internal/rotations.html", "Rotations: the next four weeks", "internal_rotations.html.j2",
         lambda s: {"rotations": rotations.rotations(s.policy, s.now)}, internal=True,
         timed=True),
    Page("internal/oncall.html", "On call now and next", "internal_oncall.html.j2",
         lambda s: {"oncall": oncall_now.on_call(s.policy, s.now)}, internal=True,
         timed=True),
    Page("internal/playbooks.html", "Playbooks", "internal_playbooks.html.j2",
         lambda s: {"playbooks": playbooks.playbooks(s)}, internal=True),
)  # fmt: skip


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("opskit.docs", "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )  # fmt: skip
    env.filters["and_join"] = lambda items: and_join([str(i) for i in items])
    return env


def build(site: SiteInput) -> dict[str, str]:
    """Relative path -> page text, for every page; the same input gives the same text."""
    env = environment()
    out: dict[str, str] = {}
    for page in PAGES:
        base = posixpath.dirname(page.path)

        def url(target: str, base: str = base) -> str:
            return posixpath.relpath(target, base or ".")

        context = page.context(site)
        out[page.path] = env.get_template(page.template).render(
            site=site, page=page, pages=PAGES, url=url, PAGING=public.PAGING, **context
        )
    return dict(sorted(out.items()))
