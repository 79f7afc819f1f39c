"""Create, update and delete Jira objects for the sync engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opskit.providers.jira import organizations, schemes
from opskit.providers.jira.client import Api
from opskit.sync.apply import IdMap, TargetError
from opskit.sync.diff import Change
from opskit.sync.ownership import owner, with_marker


@contextmanager
def _blame(change: Change) -> Iterator[None]:
    """Jira's refusal, said against the policy line that asked for the change."""
    try:
        yield
    except TargetError as error:
        where = f" (from {change.source})" if change.source else ""
        raise type(error)(f"{error}{where}") from None


class Writer:
    def __init__(self, api: Api, workspace: str) -> None:
        self.api, self.workspace = api, workspace
        self.ids = IdMap({})

    def find_managed(self, type: str, key: str) -> str | None:
        if type == "priority":
            found = self.api.run("GET", "/priority", self.api.client.priorities)
            return next((str(p.id) for p in found if p.name == key and self._ours(p.raw)), None)
        if type == "component":
            project, _, name = key.partition("/")
            found = self.api.call("GET", f"/project/{project}/components")
            return next((str(c["id"]) for c in found if c["name"] == name and self._ours(c)), None)
        if type == "organization":
            return organizations.find(self.api, self.workspace, key)
        if type == "priority_scheme":
            return schemes.find(self.api, self.workspace, key)
        return None  # options: create_option finds an existing value before posting

    def _ours(self, raw: dict[str, Any]) -> bool:
        return owner(raw.get("description")) == self.workspace

    def create(self, change: Change, ids: IdMap) -> str:
        self.ids = ids
        with _blame(change):
            return str(getattr(self, f"_create_{change.type}")(change))

    def update(self, change: Change, ids: IdMap) -> None:
        self.ids = ids
        with _blame(change):
            getattr(self, f"_update_{change.type}")(change)

    def delete(self, change: Change) -> None:
        with _blame(change):
            self._delete(change)

    def _delete(self, change: Change) -> None:
        assert change.id is not None
        if change.type == "priority":
            raise TargetError(
                f"priority {change.key!r}: opskit does not delete Jira priorities (tickets use "
                "them); move its tickets to another priority and delete it in Jira's settings"
            )
        if change.type == "component":
            self.api.call("DELETE", f"/component/{change.id}")
        elif change.type == "priority_scheme":
            self.api.call("DELETE", f"{schemes.PATH}/{change.id}")
        elif change.type == "tier_option":
            self._put_option(change, {"id": change.id, "disabled": True})
        else:
            self.api.call("DELETE", f"{organizations.PATH}/{change.id}")

    # priorities
    def _priority_body(self, change: Change) -> dict[str, Any]:
        fields = change.fields
        return {
            "name": fields["name"],
            "description": with_marker(fields["description"], self.workspace),
            "statusColor": fields["statusColor"],
        }

    def _create_priority(self, change: Change) -> str:
        return str(self.api.call("POST", "/priority", json=self._priority_body(change))["id"])

    def _update_priority(self, change: Change) -> None:
        self.api.call("PUT", f"/priority/{change.id}", json=self._priority_body(change))

    # organisations
    def _create_organization(self, change: Change) -> str:
        return organizations.create(self.api, self.workspace, change)

    def _update_organization(self, change: Change) -> None:
        organizations.update(self.api, self.workspace, change)

    # the priority scheme
    def _create_priority_scheme(self, change: Change) -> str:
        return schemes.create(self.api, self.workspace, change, self.ids)

    def _update_priority_scheme(self, change: Change) -> None:
        schemes.update(self.api, self.workspace, change, self.ids)

    # components
    def _component_body(self, change: Change) -> dict[str, Any]:
        fields = change.fields
        body = {
            "name": fields["name"],
            "description": with_marker(fields["description"], self.workspace),
            "assigneeType": fields["assigneeType"],
        }
        if fields["lead"]:  # the API takes no null; without a lead the default assignee applies
            body["leadAccountId"] = fields["lead"]
        return body

    def _create_component(self, change: Change) -> str:
        body = {**self._component_body(change), "project": change.fields["project"]}
        return str(self.api.call("POST", "/component", json=body)["id"])

    def _update_component(self, change: Change) -> None:
        self.api.call("PUT", f"/component/{change.id}", json=self._component_body(change))

    # select options of the tier field
    def _option_path(self, change: Change) -> str:
        field_id, context = change.extra.get("field"), change.extra.get("context")
        if not field_id or not context:
            raise TargetError(f"tier option {change.key!r}: the tier field has no context")
        return f"/field/{field_id}/context/{context}/option"

    def _create_tier_option(self, change: Change) -> str:
        path = self._option_path(change)
        for option in self.api.pages(path):  # made by a run whose answer was lost
            if option["value"] == change.fields["value"]:
                self._put_option(change, {"id": option["id"], **change.fields})
                return str(option["id"])
        body = {
            "options": [{"value": change.fields["value"], "disabled": change.fields["disabled"]}]
        }
        # PUT-like safety: an unclear POST is checked by listing first on the next try.
        [created] = self.api.call("POST", path, json=body)["options"]
        return str(created["id"])

    def _update_tier_option(self, change: Change) -> None:
        self._put_option(change, {"id": change.id, **change.fields})

    def _put_option(self, change: Change, option: dict[str, Any]) -> None:
        self.api.call("PUT", self._option_path(change), json={"options": [option]})
