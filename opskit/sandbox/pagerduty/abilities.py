"""Abilities: the account's features by name, as clients (the official Terraform provider
among them) ask before they use teams, urgencies or support hours.

``GET /abilities`` lists them; ``GET /abilities/{id}`` answers 204 when the account has
the ability and 404 when it does not. The sandbox's account has every feature it
emulates.
"""

from __future__ import annotations

from flask import Blueprint, Response

from opskit.sandbox.app_util import respond
from opskit.sandbox.errors import pd_not_found

bp = Blueprint("pd_abilities", __name__)

ABILITIES = (
    "teams",
    "read_only_users",
    "team_responders",
    "urgencies",
    "service_support_hours",
    "manage_schedules",
    "manage_api_keys",
    "coordinated_responding",
    "event_rules",
)


@bp.get("/abilities")
def list_abilities() -> Response:
    return respond({"abilities": list(ABILITIES)})


@bp.get("/abilities/<ability>")
def has_ability(ability: str) -> Response:
    if ability not in ABILITIES:
        raise pd_not_found()
    return Response(status=204)
