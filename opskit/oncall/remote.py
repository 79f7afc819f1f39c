"""`GET /oncalls` from PagerDuty, compared with what the policies say."""

from __future__ import annotations

from typing import Any, Protocol

from opskit.policy.model import Policy


class Lister(Protocol):
    def pages(self, path: str, params: dict[str, Any] | None = None) -> Any: ...


def remote_levels(api: Lister, at: str) -> dict[str, dict[int, set[str]]]:
    """Escalation policy name -> level -> emails on call at `at` (one instant)."""
    emails = {u["id"]: str(u.get("email", "")).lower() for u in api.pages("/users")}
    names = {p["id"]: str(p.get("name", "")) for p in api.pages("/escalation_policies")}
    out: dict[str, dict[int, set[str]]] = {}
    for row in api.pages("/oncalls", {"since": at, "until": at}):
        policy = names.get(row["escalation_policy"]["id"], row["escalation_policy"]["id"])
        email = emails.get(row["user"]["id"], row["user"]["id"])
        out.setdefault(policy, {}).setdefault(int(row["escalation_level"]), set()).add(email)
    return out


def disagreements(
    policy: Policy, answer: dict[str, Any], remote: dict[str, dict[int, set[str]]]
) -> list[str]:
    """Each ladder's first pass, step by step, against PagerDuty's levels."""
    email = {p.name: p.email.lower() for p in policy.people.values()}
    name = {v: k for k, v in email.items()}
    out: list[str] = []
    for ladder in answer["ladders"]:
        levels = remote.get(ladder["ladder"])
        if levels is None:
            out.append(
                f"ladder {ladder['ladder']!r}: no escalation policy of that name in PagerDuty"
            )
            continue
        for page in (p for p in ladder["pages"] if p["loop"] == 0):
            ours = {email.get(person, person) for person in page["people"]}
            theirs = levels.get(page["step"], set())
            if ours != theirs:

                def show(found: set[str]) -> str:
                    return ", ".join(sorted(name.get(e, e) for e in found)) or "nobody"

                out.append(
                    f"ladder {ladder['ladder']!r} step {page['step']}: policies say {show(ours)}, "
                    f"PagerDuty says {show(theirs)}"
                )
    return out
