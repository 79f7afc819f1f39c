"""Who is on call at the site's instant and who is next, per rotation, ladder and service."""

from __future__ import annotations

from typing import Any

from opskit.docs.words import elapsed_words
from opskit.oncall.who import who
from opskit.policy.model import Policy


def _when(iso: str | None) -> str:
    return "" if iso is None else iso.replace("T", " ").removesuffix(":00Z") + " UTC"


def _names(policy: Policy, people: list[str]) -> list[str]:
    return [
        found.full_name if (found := policy.people.get(p)) is not None and found.full_name else p
        for p in people
    ]


def on_call(policy: Policy, now: int) -> dict[str, Any]:
    answer = who(policy, now)
    rotations = [
        {
            "name": r["rotation"],
            "person": _names(policy, [r["person"]])[0] if r["person"] else None,
            "until": _when(r["until"]),
            "next": _names(policy, [r["next"]["person"]])[0] if r["next"] else None,
            "next_at": _when(r["next"]["at"]) if r["next"] else "",
        }
        for r in sorted(answer["rotations"], key=lambda r: r["rotation"])
    ]
    ladders = []
    for found in sorted(answer["ladders"], key=lambda x: x["ladder"]):
        first_pass = [p for p in found["pages"] if p["loop"] == 0]
        ladders.append({
            "name": found["ladder"],
            "services": sorted(found["services"]),
            "repeat": found["repeat"],
            "pages": [{"step": p["step"], "after": elapsed_words(p["after_minutes"] * 60) if p["after_minutes"] else "at once",
                       "people": _names(policy, p["people"]), "unstaffed": p["unstaffed"]}
                      for p in first_pass],
        })  # fmt: skip
    first = {x["name"]: x["pages"][0]["people"] if x["pages"] else [] for x in ladders}
    services = [
        {"name": s.name, "ladder": s.ladder.name, "first": first.get(s.ladder.name, [])}
        for s in sorted(policy.services.values(), key=lambda s: s.name)
    ]
    return {"rotations": rotations, "ladders": ladders, "services": services}
