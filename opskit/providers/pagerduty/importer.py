"""PagerDuty objects made by hand, written as policy documents (the reverse of desired.py).

What is imported must plan clean right after: every field opskit compares is
carried over exactly, and what the policy language cannot say is reported.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from opskit.policy.model import Policy
from opskit.providers.pagerduty.client import Api
from opskit.sync.imported import Imported, slug
from opskit.sync.ownership import owner, strip_marker

KINDS = ("team", "schedule", "escalation_policy", "service")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def duration(seconds: int) -> str:
    for unit, size in (("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _clock(text: str) -> int:
    hours, minutes = text.split(":")[:2]
    return int(hours) * 60 + int(minutes)


def _window(start: int, minutes: int) -> str:
    end = (start + minutes) % 1440
    return f"{start // 60:02d}:{start % 60:02d}-{(end // 60) or (24 if end == 0 and minutes else 0):02d}:{end % 60:02d}"


class Importer:
    def __init__(self, api: Api, workspace: str, policy: Policy, tier: str | None) -> None:
        self.api, self.workspace, self.policy, self.tier = api, workspace, policy, tier
        self.result = Imported()
        self.users = {u["id"]: u for u in api.pages("/users")}
        self.people = {p.email.lower(): p.name for p in policy.people.values()}
        self.lists = {
            "team": list(api.pages("/teams")),
            "schedule": list(api.pages("/schedules", {"include[]": ["schedule_layers"]})),
            "escalation_policy": list(api.pages("/escalation_policies")),
            "service": list(api.pages("/services")),
        }
        self.by_id = {
            item["id"]: (kind, item) for kind, items in self.lists.items() for item in items
        }
        self.done: dict[str, str] = {}  # remote id -> policy name

    def candidates(
        self, names: set[str], teams: set[str], everything: bool
    ) -> list[tuple[str, dict[str, Any]]]:
        team_ids = {t["id"] for t in self.lists["team"] if t["name"] in teams}
        chosen = []
        for kind in KINDS:
            for item in self.lists[kind]:
                if owner(item.get("description")) == self.workspace:
                    continue  # already opskit's
                of_team = {t["id"] for t in item.get("teams", [])} & team_ids or item[
                    "id"
                ] in team_ids
                if everything or item["name"] in names or of_team:
                    chosen.append((kind, item))
        return chosen

    def run(self, chosen: list[tuple[str, dict[str, Any]]]) -> Imported:
        for kind, item in chosen:
            self.object(kind, item)
        return self.result

    def object(self, kind: str, item: dict[str, Any]) -> str:
        """Import one object (and what it refers to); its policy name."""
        if item["id"] in self.done:
            return self.done[item["id"]]
        existing = self._existing(kind, item)
        if existing is not None:
            self.done[item["id"]] = existing
            return existing
        name = slug(item["name"])
        self.done[item["id"]] = name
        self.result.adopted.append((kind, item["name"], item["id"]))
        getattr(self, f"_{kind}")(item, name)
        return name

    def _existing(self, kind: str, item: dict[str, Any]) -> str | None:
        """Managed objects and ones the policies already define are referred to, not imported."""
        tables: dict[str, dict[str, Any]] = {
            "team": self.policy.teams, "schedule": self.policy.rotations,
            "escalation_policy": self.policy.ladders, "service": self.policy.services,
        }  # fmt: skip
        table = tables[kind]
        if item["name"] in table or owner(item.get("description")) == self.workspace:
            return str(item["name"])
        return None

    def person(self, user_id: str) -> str:
        user = self.users[user_id]
        email = str(user["email"]).lower()
        if email not in self.people:
            name = slug(email.split("@")[0])
            while name in self.people.values():
                name += "-2"
            self.people[email] = name
            document = {"kind": "Person", "name": name, "full_name": user.get("name", name), "email": user["email"],
                        "timezone": user.get("time_zone") or "UTC"}  # fmt: skip
            self.result.add("people", document)
        return self.people[email]

    def _team(self, item: dict[str, Any], name: str) -> None:
        members, leads = [], []
        for member in self.api.pages(f"/teams/{item['id']}/members"):
            person = self.person(member["user"]["id"])
            members.append(person)
            if member.get("role") == "manager":
                leads.append(person)
            elif member.get("role") not in (None, "responder"):
                self._role(person, str(member["role"]), item["name"])
        document: dict[str, Any] = {"kind": "Team", "name": name}
        if strip_marker(item.get("description")):
            document["description"] = strip_marker(item.get("description"))
        document["members"] = members
        if leads:
            document["leads"] = leads
        self.result.add("teams", document)

    def _role(self, person: str, role: str, team: str) -> None:
        """A role other than lead or responder lives on the person (opskit has one role a person)."""
        for document in self.result.documents.get("people", []):
            if document["name"] == person:
                document["role"] = role
                return
        self.result.warnings.append(
            f"{person} is {role} in team {team!r}; set role: {role} on the person"
        )

    def _schedule(self, item: dict[str, Any], name: str) -> None:
        zone = ZoneInfo(item.get("time_zone") or "UTC")
        layers = [
            layer for layer in reversed(item.get("schedule_layers", [])) if not layer.get("end")
        ]
        if not layers:
            self.result.warnings.append(
                f"schedule {item['name']!r} has no open layer; imported without layers is impossible, skipped"
            )
            return
        starts = [_local(layer["rotation_virtual_start"], zone) for layer in layers]
        origin = min(starts).date()
        document: dict[str, Any] = {"kind": "Rotation", "name": name}
        if strip_marker(item.get("description")):
            document["description"] = strip_marker(item.get("description"))
        document |= {"timezone": str(zone), "start": origin.isoformat(), "layers": []}
        for layer, start in zip(layers, starts, strict=True):
            document["layers"].append(self._layer(item, layer, start, origin))
        self.result.add("rotations", document)

    def _layer(
        self, item: dict[str, Any], layer: dict[str, Any], start: dt.datetime, origin: dt.date
    ) -> dict[str, Any]:
        members = [self.person(u["user"]["id"]) for u in layer["users"]]
        seconds = int(layer["rotation_turn_length_seconds"])
        # Turn 0 is the rotation's start date at the handoff time: move the layer's
        # own origin there by whole turns, dealing the members round to match.
        offset = start - dt.datetime.combine(origin, start.time())
        turns, rest = divmod(int(offset.total_seconds()), seconds)
        if rest:
            self.result.warnings.append(
                f"schedule {item['name']!r}, layer {layer.get('name')!r}: its turns do not line up with the other layers' start date"
            )
        members = (
            members[turns % len(members) :] + members[: turns % len(members)]
            if members
            else members
        )
        out: dict[str, Any] = {"name": layer.get("name") or "layer", "members": members, "shift": duration(seconds),
                               "handoff": start.strftime("%H:%M")}  # fmt: skip
        restrictions = self._restrictions(item, layer)
        if restrictions:
            out["restrictions"] = restrictions
        return out

    def _restrictions(self, item: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
        grouped: dict[str, list[str]] = {}
        out: list[dict[str, Any]] = []
        for r in layer.get("restrictions", []):
            minutes = int(r["duration_seconds"]) // 60
            window = _window(_clock(r["start_time_of_day"]), minutes)
            if r["type"] == "daily_restriction":
                out.append({"hours": window})
            elif minutes <= 1440:
                grouped.setdefault(window, []).append(_DAYS[int(r["start_day_of_week"]) - 1])
            else:
                self.result.warnings.append(
                    f"schedule {item['name']!r}: a weekly restriction longer than a day is not imported"
                )
        out += [{"hours": window, "days": days} for window, days in grouped.items()]
        return out

    def _escalation_policy(self, item: dict[str, Any], name: str) -> None:
        steps = []
        for rule in item.get("escalation_rules", []):
            notify = []
            for target in rule.get("targets", []):
                kind = target["type"].removesuffix("_reference")
                if kind == "user":
                    notify.append({"person": self.person(target["id"])})
                elif target["id"] in self.by_id:
                    notify.append({"rotation": self.object(*self.by_id[target["id"]])})
            steps.append(
                {"notify": notify, "escalate_after": f"{rule['escalation_delay_in_minutes']}m"}
            )
        document: dict[str, Any] = {"kind": "EscalationLadder", "name": name}
        if strip_marker(item.get("description")):
            document["description"] = strip_marker(item.get("description"))
        teams = [t["id"] for t in item.get("teams", []) if t["id"] in self.by_id]
        if teams:
            document["team"] = self.object(*self.by_id[teams[0]])
        document |= {"repeat": item.get("num_loops", 0), "steps": steps}
        self.result.add("ladders", document)

    def _service(self, item: dict[str, Any], name: str) -> None:
        policy = self.by_id.get(item["escalation_policy"]["id"])
        team_ids = [t["id"] for t in item.get("teams", [])] + [
            t["id"] for t in (policy[1].get("teams", []) if policy else [])
        ]
        team_ids = [t for t in team_ids if t in self.by_id]
        if policy is None or not team_ids or self.tier is None:
            why = (
                "no escalation policy"
                if policy is None
                else "no team"
                if not team_ids
                else "no tier (pass --tier)"
            )
            self.result.warnings.append(f"service {item['name']!r} skipped: {why}")
            self.result.adopted = [a for a in self.result.adopted if a[2] != item["id"]]
            return
        document: dict[str, Any] = {"kind": "Service", "name": name}
        if strip_marker(item.get("description")):
            document["description"] = strip_marker(item.get("description"))
        document |= {
            "team": self.object(*self.by_id[team_ids[0]]),
            "ladder": self.object(*policy),
            "tier": self.tier,
        }
        for key, ours in (
            ("acknowledgement_timeout", "acknowledge_timeout"),
            ("auto_resolve_timeout", "auto_resolve_timeout"),
        ):
            value = item.get(key)
            document[ours] = duration(int(value)) if value else None
        rule = item.get("incident_urgency_rule") or {"type": "constant", "urgency": "high"}
        if rule.get("type") == "use_support_hours" and item.get("support_hours"):
            document["urgency"] = "support_hours"
            document["support_hours"] = self._calendar(name, item["support_hours"])
        else:
            document["urgency"] = rule.get("urgency", "high")
        self.result.add("services", document)

    def _calendar(self, service: str, hours: dict[str, Any]) -> str:
        name = f"{service}-support-hours"
        start = _clock(hours["start_time"])
        end = _clock(hours["end_time"])
        window = f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
        days = {_DAYS[d - 1]: [window] for d in hours.get("days_of_week", [])}
        self.result.add(
            "calendars",
            {
                "kind": "Calendar",
                "name": name,
                "timezone": hours.get("time_zone", "UTC"),
                "working_hours": days,
            },
        )
        return name


def _local(text: str, zone: ZoneInfo) -> dt.datetime:
    return (
        dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(zone).replace(tzinfo=None)
    )
