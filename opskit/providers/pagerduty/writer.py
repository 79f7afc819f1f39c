"""Create, update and delete PagerDuty objects for the sync engine."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from opskit.providers.pagerduty import holidays
from opskit.providers.pagerduty import layers as pagerduty_layers
from opskit.providers.pagerduty.client import Api
from opskit.providers.pagerduty.live import EVENTS_API_V2, has_events_api_v2
from opskit.providers.pagerduty.times import normalised
from opskit.sync.apply import IdMap, TargetError
from opskit.sync.diff import Change
from opskit.sync.ownership import owner, with_marker

PATHS = {
    "team": "teams",
    "schedule": "schedules",
    "escalation_policy": "escalation_policies",
    "service": "services",
}


def _reference(remote_id: str, kind: str) -> dict[str, str]:
    return {"id": remote_id, "type": f"{kind}_reference"}


class Writer:
    def __init__(self, api: Api, workspace: str) -> None:
        self.api, self.workspace = api, workspace

    def find_managed(self, type: str, key: str) -> str | None:
        if type == "user":
            return self.find_user(key)  # users carry no marker: the email is who they are
        if type == "membership":
            return None  # PUT on a membership is idempotent by itself
        if type == "override":
            return None  # see create_override: an identical override is found before posting
        for item in self.api.pages(f"/{PATHS[type]}", {"query": key}):
            if item["name"] == key and owner(item.get("description")) == self.workspace:
                return str(item["id"])
        return None

    def find_user(self, email: str) -> str | None:
        """The id of the user with this email (exact match, any case), read fresh."""
        for item in self.api.pages("/users", {"query": email}):
            if str(item.get("email", "")).lower() == email.lower():
                return str(item["id"])
        return None

    def create(self, change: Change, ids: IdMap) -> str:
        if change.type == "user":
            return self._user(change)
        if change.type == "membership":
            return self._membership(change, ids)
        if change.type == "override":
            return self._override(change, ids)
        body = self._body(change, ids, None)
        created = self.api.call("POST", f"/{PATHS[change.type]}", json={change.type: body})
        remote_id = str(created[change.type]["id"])
        if change.type == "service" and change.fields.get("events_api_v2"):
            self._add_events_api_v2(remote_id)
        return remote_id

    def update(self, change: Change, ids: IdMap) -> None:
        if change.type == "user":
            return  # people own their profiles: a user is made once and never changed
        if change.type == "override":
            return  # its identity is its content: a changed override is another override
        if change.type == "membership":
            self._membership(change, ids)
            return
        assert change.id is not None
        body = self._body(change, ids, change.id)
        self.api.call("PUT", f"/{PATHS[change.type]}/{change.id}", json={change.type: body})
        if change.type == "service" and _wants_events_api_v2(change):
            self._ensure_events_api_v2(change.id)

    def delete(self, change: Change) -> None:
        assert change.id is not None
        if change.type == "user":
            # Deleting a user unassigns their incidents and drops them from schedules.
            raise TargetError(f"user {change.key!r}: opskit never deletes PagerDuty users")
        if change.type == "membership":
            team, user = change.id.split("/")
            self.api.call("DELETE", f"/teams/{team}/users/{user}")
            return
        if change.type == "override":
            schedule, override = change.id.split("/")
            self.api.call("DELETE", f"/schedules/{schedule}/overrides/{override}")
            return
        self.api.call("DELETE", f"/{PATHS[change.type]}/{change.id}")

    def _add_events_api_v2(self, service_id: str) -> None:
        body = {"integration": {"type": EVENTS_API_V2, "name": "Events API V2 (opskit)"}}
        self.api.call("POST", f"/services/{service_id}/integrations", json=body)

    def _ensure_events_api_v2(self, service_id: str) -> None:
        """Add the integration unless one is there: read fresh, as a create whose answer
        was lost may have made it. Integrations are never removed: other tools send to them."""
        service = self.api.call("GET", f"/services/{service_id}")["service"]
        if not has_events_api_v2(service):
            self._add_events_api_v2(service_id)

    def _user(self, change: Change) -> str:
        """Create a user, unless one with that email exists by now (made by hand since the
        plan was read, or by a run whose answer was lost): then it is linked, not touched."""
        existing = self.find_user(change.key)
        if existing is not None:
            return existing
        fields = change.fields
        body = {"type": "user", **{k: fields[k] for k in USER_FIELDS if fields.get(k) is not None}}
        # The client sends the From header (targets.pagerduty.from) that PagerDuty requires here.
        created = self.api.call("POST", "/users", json={"user": body})
        return str(created["user"]["id"])

    def _override(self, change: Change, ids: IdMap) -> str:
        """Overrides are posted in bulk and answered item by item; one failing is an error of its own."""
        schedule, fields = ids.resolve(change.extra["schedule"]), ids.resolve(change.fields)
        window = {"since": fields["start"], "until": fields["end"]}
        for item in self.api.pages(f"/schedules/{schedule}/overrides", window):
            same = (
                item["user"]["id"],
                normalised(item["start"]),
                normalised(item["end"]),
            )
            if same == (fields["user"], fields["start"], fields["end"]):
                return f"{schedule}/{item['id']}"  # made by a run that died: keep it
        body = {
            "overrides": [
                {
                    "start": fields["start"],
                    "end": fields["end"],
                    "user": _reference(fields["user"], "user"),
                }
            ]
        }
        [answer] = self.api.call("POST", f"/schedules/{schedule}/overrides", json=body)
        if answer.get("status") != 201:
            reasons = "; ".join(str(e) for e in answer.get("errors", [])) or "refused"
            raise TargetError(f"override {change.key!r}: {reasons}")
        return f"{schedule}/{answer['override']['id']}"

    def _membership(self, change: Change, ids: IdMap) -> str:
        team, user = ids.resolve(change.extra["team"]), ids.resolve(change.extra["user"])
        self.api.call("PUT", f"/teams/{team}/users/{user}", json={"role": change.fields["role"]})
        return f"{team}/{user}"

    def _body(self, change: Change, ids: IdMap, remote_id: str | None) -> dict[str, Any]:
        fields = ids.resolve(change.fields)
        text = fields.get("description") or ""
        if change.type == "schedule":  # with the holiday overrides it made, and those going
            made = fields.get("holiday_overrides", []) + change.extra.get("ledger_keep", [])
            text = holidays.with_ledger(text, made)
        description = with_marker(text, self.workspace)
        name = fields["name"]
        if change.type == "team":
            return {"type": "team", "name": name, "description": description}
        if change.type == "escalation_policy":
            return {
                "type": "escalation_policy", "name": name, "description": description,
                "num_loops": fields["num_loops"],
                "escalation_rules": [
                    {"escalation_delay_in_minutes": rule["delay"], "targets": [_target(t, change, i, ids) for i, t in enumerate(rule["targets"])]}
                    for rule in fields["rules"]
                ],
                "teams": [_reference(t, "team") for t in fields["teams"]],
            }  # fmt: skip
        if change.type == "service":
            return _service(fields, name, description)
        return self._schedule(change, fields, ids, name, description, remote_id)

    def _schedule(
        self,
        change: Change,
        fields: dict[str, Any],
        ids: IdMap,
        name: str,
        description: str,
        remote_id: str | None,
    ) -> dict[str, Any]:
        layers = pagerduty_layers.payload(fields["layers"], change.extra.get("starts", []), str)
        if remote_id is None:
            # a new schedule pages each earlier member list until its roster change
            earlier = ids.resolve(change.extra.get("earlier") or [])
            earlier += [[] for _ in range(len(layers) - len(earlier))]
            layers = [item for before, layer in zip(earlier, layers, strict=False) for item in [*before, layer]]
        else:
            current = self.api.call("GET", f"/schedules/{remote_id}")["schedule"]
            zone = ZoneInfo(current.get("time_zone") or "UTC")
            layers = pagerduty_layers.arrange(
                current.get("schedule_layers", []), layers, zone, dt.datetime.now(dt.UTC)
            )
        return {
            "type": "schedule",
            "name": name,
            "description": description,
            "time_zone": fields["time_zone"],
            "schedule_layers": layers,
        }


USER_FIELDS = ("name", "email", "time_zone", "role", "description")

def _wants_events_api_v2(change: Change) -> bool:
    """Wanted and either missing (the plan says so) or not known (a create being adopted)."""
    if not change.fields.get("events_api_v2"):
        return False
    return not change.changes or any(c.name == "events_api_v2" for c in change.changes)


def _target(target: str, change: Change, index: int, ids: IdMap) -> dict[str, str]:
    """Targets arrive resolved to ids; their kind comes from the unresolved reference."""
    rule_targets = [t for rule in change.fields["rules"] for t in rule["targets"]]
    kinds = {ids.resolve(t): t["$ref"][0] for t in rule_targets}
    return _reference(target, kinds[target])


def _service(fields: dict[str, Any], name: str, description: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "service", "name": name, "description": description,
        "escalation_policy": _reference(fields["escalation_policy"], "escalation_policy"),
    }  # fmt: skip
    # Always sent: left out of a PUT, a timeout keeps its value, so one the policy
    # turns off must be said. The API takes integers, and 0 means off (read back as null).
    for timeout in ("acknowledgement_timeout", "auto_resolve_timeout"):
        body[timeout] = fields[timeout] or 0
    urgency = fields["urgency"]
    if urgency["type"] == "constant":
        body["incident_urgency_rule"] = {"type": "constant", "urgency": urgency["urgency"]}
        return body
    body["incident_urgency_rule"] = {
        "type": "use_support_hours",
        "during_support_hours": {"type": "constant", "urgency": urgency["during"]},
        "outside_support_hours": {"type": "constant", "urgency": urgency["outside"]},
    }
    body["support_hours"] = {"type": "fixed_time_per_day", **fields["support_hours"]}
    body["scheduled_actions"] = [
        {
            "type": "urgency_change",
            "at": {"type": "named_time", "name": "support_hours_start"},
            "to_urgency": "high",
        }
    ]
    return body
