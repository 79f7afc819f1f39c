"""Jira priorities and JSM organisations made by hand, written as policy documents.

The reverse of desired.py, for what the policy language can say about a Jira site:
- a priority becomes a `Priority` (its Jira name, description and colour). Jira has no
  level or urgency: imported priorities take the levels after the policies' own, in
  Jira's order, and low urgency; both are reported for review;
- an organisation becomes a `Customer` (its members as contacts; its tier from the
  organisation's `opskit` or `tier` property, else --tier: a customer has to have one).

Components and tier-field options are listed, not imported: a Service needs a team,
a ladder and a tier, an SlaTier its targets and calendar, none of which Jira knows.

Which objects are opskit's is decided as a plan decides it (claims.py): priorities by
the name a policy gives them, organisations by their property. What is imported plans
clean right after adoption (adopt.imported writes what the new policies say).
"""

from __future__ import annotations

import re
from typing import Any

from opskit.errors import UsageError
from opskit.policy.model import Policy
from opskit.providers.jira import claims, desired, live, organizations
from opskit.providers.jira.client import Api
from opskit.providers.jira.settings import Settings
from opskit.sync.imported import Imported, slug
from opskit.sync.ownership import marker, owner
from opskit.sync.resources import Live

KINDS = ("priority", "organization", "component", "tier_option")
MAX_LEVEL = 10  # priority.schema.json
_TITLE = re.compile(r"([^:]{1,40}):\s+(\S.*)", re.S)  # "Critical: customers cannot work"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")  # common.schema.json#/$defs/email
_COLOR = re.compile(r"^#[0-9a-f]{6}$")
_ADOPT = "'opskit jira adopt'"


class Importer:
    def __init__(
        self, api: Api, workspace: str, policy: Policy, settings: Settings, tier: str | None
    ) -> None:
        self.api, self.workspace, self.policy, self.settings = api, workspace, policy, settings
        self.tier = tier
        self.result = Imported()
        self.site = live.read(api, workspace, settings)
        wanted, _ = desired.desired(policy, settings, {})
        self.objects = claims.claim_by_name(wanted, self.site.objects)
        # The marker another workspace may have left (claims look at names only).
        found = api.run("GET", "/priority", api.client.priorities)
        self.owners = {str(p.raw["id"]): owner(p.raw.get("description")) for p in found}
        self.customers = {c.organization.lower(): c.name for c in policy.customers.values()}
        self.components = {s.jira_component for s in policy.services.values()}
        self.names: dict[str, set[str]] = {
            "priority": {p.lower() for p in policy.priorities},
            "customer": {c.lower() for c in policy.customers},
        }
        self.levels = {p.level for p in policy.priorities.values()}
        self.unknown: dict[str, str] = {}  # organisation id -> a tier its property names

    def candidates(self, names: set[str], everything: bool) -> list[tuple[str, Live]]:
        """The objects chosen (by --all or their Jira name) that no workspace of opskit manages."""
        chosen, seen = [], set()
        for kind in KINDS:
            for obj in self.objects:
                if obj.type != kind:
                    continue
                name = _name(obj)
                picked = everything or name in names or obj.key in names
                seen |= {name, obj.key} & names
                if not picked:
                    continue
                if obj.managed:
                    if not everything:
                        self.result.notices.append(
                            f"{_what(obj)} is already managed by opskit/{self.workspace}"
                        )
                    continue
                chosen.append((kind, obj))
        for name in sorted(names - seen):
            self.result.warnings.append(
                f"nothing in Jira is named {name!r} (priorities, organisations, components "
                f"of {', '.join(self.settings.projects) or 'no configured project'}, "
                f"options of {self.settings.tier_field!r})"
            )
        return chosen

    def run(self, chosen: list[tuple[str, Live]]) -> Imported:
        # Organisations first: which of them need --tier is known before anything is made.
        customers: list[tuple[Live, dict[str, Any], str | None]] = []
        for kind, obj in chosen:
            if kind == "organization":
                facts = self._facts(obj)
                if facts is not None:
                    customers.append((obj, facts, self._tier(obj, facts)))
        missing = [
            f"{obj.key!r}" + (f" (its property says {self.unknown[obj.id]!r}, no SlaTier)"
                              if obj.id in self.unknown else "")
            for obj, _, tier in customers if tier is None
        ]  # fmt: skip
        if missing:
            raise UsageError(
                f"Jira says no tier for organisation(s) {', '.join(missing)} and a Customer "
                f"needs one: pass --tier TIER (one of: {', '.join(self.policy.tiers)})"
            )
        for kind, obj in chosen:
            if kind == "priority":
                self._priority(obj)
            elif kind == "component":
                self._component(obj)
            elif kind == "tier_option":
                self._option(obj)
        for obj, facts, tier in customers:
            self._organization(obj, facts, str(tier))
        levels = [
            f"{d['name']} (level {d['level']})" for d in self.result.documents.get("priorities", [])
        ]
        if levels:
            self.result.warnings.append(
                f"Jira priorities have no level or urgency: imported {', '.join(levels)}, "
                "all with urgency low, after the policies' own levels; check them before applying"
            )
        if any(kind in ("component", "tier_option") for kind, _ in chosen):
            self.result.notices.append(
                "Components and tier options become opskit's once a Service or SlaTier names "
                f"them: write those policies by hand, then run {_ADOPT} for the components"
            )
        if any(kind == "priority" for kind, _, _ in self.result.adopted) and self.site.project_ids:
            self.result.notices.append(
                "imported priorities join the priority scheme of "
                f"{', '.join(sorted(self.site.project_ids))} at the next apply "
                "('opskit plan --target jira' shows it)"
            )
        return self.result

    def _unique(self, kind: str, name: str) -> str:
        taken = self.names[kind]
        base, n = name, 1
        while name.lower() in taken:
            n += 1
            name = f"{base[: 64 - len(str(n)) - 1]}-{n}"
        taken.add(name.lower())
        return name

    # priorities
    def _priority(self, obj: Live) -> None:
        other = self.owners.get(obj.id)
        if other not in (None, self.workspace):
            self.result.warnings.append(
                f"priority {obj.key!r} skipped: it carries the marker of opskit/{other}"
            )
            return
        level = max(self.levels, default=0) + 1
        if level > MAX_LEVEL:
            self.result.warnings.append(
                f"priority {obj.key!r} skipped: levels go up to {MAX_LEVEL} and "
                f"{MAX_LEVEL} is taken; free a level first"
            )
            return
        self.levels.add(level)
        name = self._unique("priority", slug(obj.key))
        text = str(obj.fields.get("description") or "")
        title, description, examples = _definition(text, obj.key)
        document: dict[str, Any] = {"kind": "Priority", "name": name}
        if description:
            document["description"] = description
        document |= {"level": level, "title": title, "urgency": "low"}
        if examples:
            document["examples"] = examples
        color = str(obj.fields.get("statusColor") or "")
        if _COLOR.match(color):
            document["color"] = color
        else:
            self.result.warnings.append(
                f"priority {obj.key!r}: its colour {color!r} is not #rrggbb; opskit sets #707070"
            )
        if name != obj.key:
            document["jira_name"] = obj.key
        self.result.add("priorities", document)
        self.result.adopted.append(("priority", obj.key, obj.id))

    # organisations
    def _facts(self, obj: Live) -> dict[str, Any] | None:
        """The organisation's `opskit` property ({} if none), or None if it is not to import."""
        facts = organizations.read_property(self.api, obj.id)
        facts = facts if isinstance(facts, dict) else {}
        if facts.get("managedBy") not in (None, marker(self.workspace)):
            self.result.warnings.append(
                f"organisation {obj.key!r} skipped: it is {facts['managedBy']!r}"
            )
            return None
        if obj.key.lower() in self.customers:
            self.result.notices.append(
                f"organisation {obj.key!r} is the policies' customer "
                f"{self.customers[obj.key.lower()]!r} but not opskit's yet: run {_ADOPT}"
            )
            return None
        return facts

    def _tier(self, obj: Live, facts: dict[str, Any]) -> str | None:
        """The SlaTier the organisation's properties name, else --tier."""
        said = facts.get("tier")
        if said is None:
            found = self.api.call(
                "GET", f"{organizations.PATH}/{obj.id}/property/tier", missing_ok=True
            )
            said = found.get("value") if isinstance(found, dict) else None
        if isinstance(said, str) and said:
            match = next((t for t in self.policy.tiers if t.lower() == said.lower()), None)
            if match is not None:
                return match
            self.unknown[obj.id] = said
            if self.tier is not None:
                self.result.warnings.append(
                    f"organisation {obj.key!r}: its property says tier {said!r}, which no SlaTier "
                    f"defines; imported with --tier {self.tier}"
                )
        return self.tier

    def _organization(self, obj: Live, facts: dict[str, Any], tier: str) -> None:
        contacts = []
        for member in self.api.jsm_pages(f"{organizations.PATH}/{obj.id}/user"):
            email = str(member.get("emailAddress") or "")
            if not _EMAIL.match(email):
                who = member.get("displayName") or member.get("accountId")
                self.result.warnings.append(
                    f"organisation {obj.key!r} skipped: member {who!r} shows no email address, "
                    "so no contact can name them and the next apply would remove them"
                )
                return
            contact = {"name": member["displayName"]} if member.get("displayName") else {}
            contacts.append(contact | {"email": email})
        name = self._unique("customer", slug(obj.key))
        document: dict[str, Any] = {"kind": "Customer", "name": name}
        if name != obj.key:
            document["display_name"] = obj.key
        document["tier"] = tier
        if contacts:
            document["contacts"] = sorted(contacts, key=lambda c: c["email"].lower())
        contract = facts.get("contract")
        if isinstance(contract, dict):
            kept = {k: str(contract[k]) for k in ("id", "start", "end") if contract.get(k)}
            if kept:
                document["contract"] = kept
        self.result.add("customers", document)
        self.result.adopted.append(("organization", obj.key, obj.id))

    # listed, not imported
    def _component(self, obj: Live) -> None:
        name = str(obj.fields.get("name", obj.key))
        if name in self.components:
            self.result.notices.append(
                f"component {obj.key!r} is a Service's jira_component but not opskit's yet: "
                f"run {_ADOPT}"
            )
            return
        self.result.notices.append(
            f"component {obj.key!r} not imported: a Service needs a team, an escalation ladder "
            f"and an SLA tier, which Jira does not have; write one with jira_component: {name}"
        )

    def _option(self, obj: Live) -> None:
        retired = (
            " (disabled in Jira: an SlaTier with retired: true)"
            if obj.fields.get("disabled")
            else ""
        )
        self.result.notices.append(
            f"tier option {obj.key!r} of {self.settings.tier_field!r} not imported: an SlaTier "
            f"needs targets and a calendar, which Jira does not have; write one named "
            f"{obj.key!r}{retired} and opskit takes the option over by its value"
        )


def _name(obj: Live) -> str:
    """The object's own name in Jira (a component's without its project)."""
    return str(obj.fields.get("name") or obj.fields.get("value") or obj.key)


def _what(obj: Live) -> str:
    return f"{obj.type.replace('_', ' ')} {obj.key!r}"


def _definition(text: str, jira_name: str) -> tuple[str, str, list[str]]:
    """Title, definition and examples from a description in the shape opskit writes
    ("Critical: customers cannot work", then one "- example" a line)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return jira_name, "", []
    examples = [line[2:].strip() for line in lines[1:] if line.startswith("- ")]
    prose = " ".join([lines[0], *(line for line in lines[1:] if not line.startswith("- "))])
    if prose.lower() == jira_name.lower():
        prose = ""  # Jira's own priorities are described by their name
    found = _TITLE.fullmatch(prose)
    if found:
        return found[1].strip(), found[2].strip(), examples
    return jira_name, prose, examples
