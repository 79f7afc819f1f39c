"""Which live objects are opskit's, and what in the site stops a plan from applying."""

from __future__ import annotations

from opskit.providers.jira.live import Site
from opskit.providers.jira.settings import Settings
from opskit.sync.resources import Desired, Live, Warning

# Names Jira keeps unique, so a create would collide with an object made by hand.
ADOPTABLE = ("priority_scheme", "component", "organization")


def site_warnings(
    site: Site, wanted: list[Desired], objects: list[Live], settings: Settings, workspace: str
) -> tuple[list[Warning], list[Live]]:
    """Errors for what is missing in Jira, and the hand-made objects in the way (to adopt)."""
    out = [
        Warning(f"Jira project {p!r} does not exist: create it or fix targets.jira.projects", "opskit.yaml", error=True)
        for p in site.missing_projects
    ]  # fmt: skip
    if site.tier_field is None and any(d.type == "tier_option" for d in wanted):
        out.append(Warning(
            f"Jira has no custom field {settings.tier_field!r}: create it as a "
            "single-choice select list, or set targets.jira.tier_field",
            "opskit.yaml", error=True,
        ))  # fmt: skip
    elif site.tier_context is None and any(d.type == "tier_option" for d in wanted):
        out.append(Warning(
            f"Jira's field {settings.tier_field!r} has no context to hold options: "
            "add one in the field's settings",
            "opskit.yaml", error=True,
        ))  # fmt: skip
    if settings.service_desk and site.desk is None:
        out.append(Warning(
            f"service desk {settings.service_desk!r} does not exist in Jira Service Management",
            "opskit.yaml", error=True,
        ))  # fmt: skip
    hand_made = {(o.type, o.key.lower()): o for o in objects if not o.managed}
    managed = {(o.type, o.key) for o in objects if o.managed}
    clashes = []
    for want in wanted:
        other = hand_made.get((want.type, want.key.lower()))
        if want.type in ADOPTABLE and other is not None and (want.type, want.key) not in managed:
            clashes.append(other)
            out.append(Warning(
                f"{want.type} {want.key!r} already exists in Jira and is not managed by "
                f"opskit/{workspace}: adopt it with 'opskit jira adopt' or rename it",
                want.source, error=True,
            ))  # fmt: skip
    return out, clashes


def claim_by_name(wanted: list[Desired], objects: list[Live]) -> list[Live]:
    """Priorities and tier options the policies name are theirs.

    Jira sites start with Highest..Lowest and the policies map onto them (jira_name) so
    existing filters keep working; select options have nowhere to carry a marker. What no
    policy names is left alone, whatever its description says: tickets depend on it.
    """
    names = {
        (d.type, d.key.lower()): d.key for d in wanted if d.type in ("priority", "tier_option")
    }
    out: list[Live] = []
    for obj in objects:
        if obj.type in ("priority", "tier_option"):
            key = names.get((obj.type, obj.key.lower()))
            exact = obj.type == "priority" or key == obj.key  # option values are case-sensitive
            mine = key is not None and exact
            obj = Live(
                obj.type, key if mine and key else obj.key, obj.id, obj.fields, mine, obj.extra
            )
        out.append(obj)
    return out


def with_ids(want: Desired, site: Site) -> Desired:
    """The remote ids a write needs that are not the object's own (field, context, desk)."""
    if want.type == "tier_option":
        extra = {"field": site.tier_field, "context": site.tier_context}
    elif want.type == "organization":
        extra = {"desk": site.desk}
    else:
        return want
    return Desired(want.type, want.key, want.fields, want.source, extra)
