"""The policy model as Jira resources, normalised for comparison.

People are joined by email: `accounts` maps each email found in Jira to its
account id (Jira Cloud identifies users only by account id).
"""

from __future__ import annotations

from typing import Any

from opskit.policy.model import Customer, Policy, Priority
from opskit.providers.jira.settings import Settings
from opskit.sync.resources import Desired, Warning

# Jira keeps 255 characters of a priority's description; the marker takes its share.
PRIORITY_TEXT = 255 - len("\n\nmanaged-by: opskit/") - 40


def priority_text(priority: Priority) -> str:
    """The severity definition and as many examples as fit, as agents read it in the picker."""
    same = priority.title.strip().lower() in ("", priority.name.lower())
    head = priority.name if same else f"{priority.name} {priority.title}"
    description = priority.description.strip()
    text = f"{head}: {description}" if description else head  # not "High High:"
    if len(text) > PRIORITY_TEXT:
        return text[: PRIORITY_TEXT - 1].rstrip() + "…"
    for example in priority.examples:
        line = f"\n- {example}"
        if len(text) + len(line) > PRIORITY_TEXT:
            break
        text += line
    return text


def emails_needed(policy: Policy) -> list[str]:
    leads = [s.team.leads[0].email for s in policy.services.values() if s.team.leads]
    contacts = [c.email for customer in policy.customers.values() for c in customer.contacts]
    return sorted({e.lower() for e in leads + contacts})


def desired(
    policy: Policy, settings: Settings, accounts: dict[str, str]
) -> tuple[list[Desired], list[Warning]]:
    out: list[Desired] = []
    warnings: list[Warning] = []
    for priority in policy.priorities.values():
        fields: dict[str, Any] = {
            "name": priority.jira_name,
            "description": priority_text(priority),
            "statusColor": (priority.color or "#707070").lower(),
        }
        out.append(Desired("priority", priority.jira_name, fields, priority.source.position))
    out += _components(policy, settings, accounts, warnings)
    for tier in policy.tiers.values():
        fields = {"value": tier.name, "disabled": tier.retired}
        out.append(Desired("tier_option", tier.name, fields, tier.source.position))
    if settings.service_desk is None and policy.customers:
        warnings.append(Warning(
            "targets.jira.service_desk is not set: customers' organisations are not linked to a desk",
            "opskit.yaml",
        ))  # fmt: skip
    for customer in sorted(policy.customers.values(), key=lambda c: c.organization):
        out.append(_organization(customer, settings, accounts, warnings))
    return out, warnings


def _components(
    policy: Policy, settings: Settings, accounts: dict[str, str], warnings: list[Warning]
) -> list[Desired]:
    out: list[Desired] = []
    for service in policy.services.values():
        lead = service.team.leads[0] if service.team.leads else None
        account = accounts.get(lead.email.lower()) if lead else None
        if lead is not None and account is None:
            warnings.append(Warning(
                f"component {service.jira_component!r}: lead {lead.email} has no Jira account; "
                "the component gets the project's default assignee",
                lead.source.at("email"),
            ))  # fmt: skip
        # Two services never share a component: validate says so (natural keys), and a
        # plan refuses one object made from two policies.
        for project in settings.projects:
            key = f"{project}/{service.jira_component}"
            fields = {
                "project": project,
                "name": service.jira_component,
                "description": service.description.strip(),
                "lead": account,
                "assigneeType": "COMPONENT_LEAD" if account else "PROJECT_DEFAULT",
            }
            out.append(Desired("component", key, fields, service.source.position))
    return out


def _organization(
    customer: Customer, settings: Settings, accounts: dict[str, str], warnings: list[Warning]
) -> Desired:
    members: list[str] = []
    for index, contact in enumerate(customer.contacts):
        account = accounts.get(contact.email.lower())
        if account is None:
            warnings.append(Warning(
                f"customer {customer.name!r}: contact {contact.email} has no Jira account yet "
                "(invite them to the portal); they are added once they have one",
                customer.source.at("contacts", index, "email"),
            ))  # fmt: skip
            continue
        members.append(account)
    facts: dict[str, Any] = {
        "customer": customer.name,
        "tier": customer.tier.name,
        "contract": {k: str(v) for k, v in sorted(customer.contract.items())},
    }
    fields = {
        "name": customer.organization,
        "members": sorted(set(members)),
        "service_desk": settings.service_desk,
        "facts": facts,
    }
    return Desired("organization", customer.organization, fields, customer.source.position)
