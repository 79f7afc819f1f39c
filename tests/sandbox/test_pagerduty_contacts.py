"""Contact methods and notification rules, the parts of a user that say whether they can be woken."""

from __future__ import annotations

from typing import Any


def test_contact_methods_and_rules_are_listed_and_included(pd: Any) -> None:
    uid = pd.post(
        "/users", json={"user": {"type": "user", "name": "Ana", "email": "ana@x.example"}}
    ).json()["user"]["id"]
    phone = pd.post(f"/users/{uid}/contact_methods", json={"contact_method": {
        "type": "phone_contact_method", "label": "Mobile", "address": "5551234567", "country_code": 1}})  # fmt: skip
    assert phone.status_code == 201
    method = phone.json()["contact_method"]
    rule = pd.post(f"/users/{uid}/notification_rules", json={"notification_rule": {
        "type": "assignment_notification_rule", "start_delay_in_minutes": 0, "urgency": "high",
        "contact_method": {"id": method["id"], "type": "phone_contact_method_reference"}}})  # fmt: skip
    assert rule.status_code == 201
    plain = pd.get(f"/users/{uid}").json()["user"]
    assert plain["contact_methods"] == [
        {"id": method["id"], "type": "phone_contact_method_reference"}
    ]
    full = pd.get("/users", params={"include[]": ["contact_methods", "notification_rules"]}).json()[
        "users"
    ][0]
    assert full["contact_methods"][0]["address"] == "5551234567"
    assert full["notification_rules"][0]["urgency"] == "high"
    assert full["notification_rules"][0]["contact_method"]["id"] == method["id"]


def test_a_rule_needs_one_of_the_users_own_contact_methods(pd: Any) -> None:
    uid = pd.post(
        "/users", json={"user": {"type": "user", "name": "Ben", "email": "ben@x.example"}}
    ).json()["user"]["id"]
    missing = pd.post(f"/users/{uid}/notification_rules", json={"notification_rule": {
        "type": "assignment_notification_rule", "start_delay_in_minutes": 0, "urgency": "high",
        "contact_method": {"id": "PNOPE00", "type": "phone_contact_method_reference"}}})  # fmt: skip
    assert missing.status_code == 404
    assert "error" in missing.json()
    bad = pd.post(
        f"/users/{uid}/contact_methods",
        json={"contact_method": {"type": "pigeon", "label": "x", "address": "y"}},
    )
    assert bad.status_code == 400
