"""Which tier, customer, service and priority apply to a ticket, and who is an agent.

Tier: the JSM organisation on the ticket -> the Customer whose `organization` it is -> that
customer's tier; else the component -> the Service whose `jira_component` it is -> its tier;
else the ticket is untracked, with the reason. Names match case-insensitively.

Agents: a comment's author is an agent unless they reported the ticket, have a JSM
portal-only account (`accountType: customer`), belong to one of the ticket's JSM
organisations, or are a contact of a Customer in the policies. Jira may hide emails; then
only the account id rules apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from opskit.policy.model import Customer, Policy, Priority, Service, SlaTier
from opskit.sla.history import Issue, Person


@dataclass(frozen=True, slots=True)
class Assignment:
    """The tier that applies to a ticket, and the customer or service it came from."""

    tier: SlaTier
    source: str  # "customer <name>" or "service <name>"
    customer: Customer | None
    service: Service | None


@dataclass(frozen=True, slots=True)
class Directory:
    """Who belongs to each JSM organisation (by name): account ids and lower-cased emails."""

    members: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _fold(text: str) -> str:
    return text.strip().casefold()


def customer_of(issue: Issue, policy: Policy) -> Customer | None:
    by_org = {_fold(c.organization): c for c in policy.customers.values()}
    return next((by_org[_fold(o)] for o in issue.organizations if _fold(o) in by_org), None)


def service_of(issue: Issue, policy: Policy) -> Service | None:
    by_component = {_fold(s.jira_component): s for s in policy.services.values()}
    return next(
        (by_component[_fold(c)] for c in issue.components if _fold(c) in by_component), None
    )


def assign(issue: Issue, policy: Policy) -> Assignment | str:
    """The assignment, or why there is none (one line)."""
    customer, service = customer_of(issue, policy), service_of(issue, policy)
    if customer is not None:
        return Assignment(customer.tier, f"customer {customer.name}", customer, service)
    if service is not None:
        return Assignment(service.tier, f"service {service.name}", None, service)
    orgs = ", ".join(repr(o) for o in issue.organizations)
    comps = ", ".join(repr(c) for c in issue.components)
    if not orgs and not comps:
        return "no JSM organisation and no component on the ticket: no tier applies"
    said = [f"organisation {orgs} is no Customer's" if orgs else "no organisation",
            f"component {comps} is no Service's" if comps else "no component"]  # fmt: skip
    return "; ".join(said) + ": no tier applies"


def priority_of(jira_name: str, policy: Policy) -> Priority | None:
    """The opskit Priority whose `jira_name` this is (or, failing that, whose name)."""
    wanted = _fold(jira_name)
    for p in policy.priorities.values():
        if _fold(p.jira_name) == wanted:
            return p
    return next((p for p in policy.priorities.values() if _fold(p.name) == wanted), None)


def contact_emails(policy: Policy) -> frozenset[str]:
    return frozenset(_fold(c.email) for cu in policy.customers.values() for c in cu.contacts)


def is_agent(author: Person, issue: Issue, directory: Directory, contacts: frozenset[str]) -> bool:
    if issue.reporter is not None and author.account_id == issue.reporter.account_id:
        return False
    if author.account_type == "customer":
        return False
    email = _fold(author.email)
    if email and email in contacts:
        return False
    for org in issue.organizations:
        members = directory.members.get(_fold(org), frozenset())
        if author.account_id in members or (email and email in members):
            return False
    return True
