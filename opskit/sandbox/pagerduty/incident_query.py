"""``GET /incidents`` filters as the document describes them: a date range over
``created_at``, statuses, services, urgencies and an incident key, then ``sort_by``.

The range: ``since`` and ``until`` (a time without an offset is read in ``time_zone``, else
the account's, UTC); missing, ``until`` is now and ``since`` a month before ``until``, so a
plain list shows only the last month ("default is 1 month"). ``date_range=all`` drops the
range and its defaults. A range over six months, or one that ends before it starts, is
PagerDuty's 400 "Invalid Query Date Range" (2005); a time it cannot read is 2004.
Timestamps are rendered in ``time_zone`` when it is given.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from flask import request

from opskit.sandbox.db import Doc
from opskit.sandbox.errors import PdError, pd_invalid
from opskit.sandbox.pagerduty.common import fmt, zone
from opskit.sandbox.pagerduty.incidents import STATUSES, URGENCIES
from opskit.sandbox.pagerduty.paging import id_filter, page
from opskit.sandbox.state import now

DEFAULT_MONTHS = 1
MAX_MONTHS = 6
SORT_FIELDS = ("incident_number", "created_at", "resolved_at", "urgency")
TIMES = ("created_at", "updated_at", "last_status_change_at", "resolved_at")


def shift_months(when: datetime, months: int) -> datetime:
    """The same wall-clock instant ``months`` calendar months later (earlier if negative),
    on the month's last day when it is shorter."""
    year, month = divmod(when.month - 1 + months, 12)
    year += when.year
    day = min(when.day, calendar.monthrange(year, month + 1)[1])
    return when.replace(year=year, month=month + 1, day=day)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _query_time(name: str, tz: ZoneInfo) -> datetime | None:
    value = request.args.get(name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise PdError(400, "Invalid 'since' or 'until' Parameter Values", 2004) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _in_range(items: list[Doc], tz: ZoneInfo) -> list[Doc]:
    if request.args.get("date_range") is not None:
        if request.args["date_range"] != "all":
            raise pd_invalid("date_range must be all")
        return items
    since, until = _query_time("since", tz), _query_time("until", tz)
    inclusive = until is None  # "until now" takes in what was opened this very second
    until = until or now()
    since = since or shift_months(until, -DEFAULT_MONTHS)
    if until < since or shift_months(since, MAX_MONTHS) < until:
        raise PdError(400, "Invalid Query Date Range", 2005)
    return [
        i
        for i in items
        if since <= instant(i["created_at"]) < until
        or (inclusive and instant(i["created_at"]) == until)
    ]


def _choices(name: str, allowed: tuple[str, ...]) -> set[str]:
    wanted = id_filter(name)
    if not wanted <= set(allowed):
        raise pd_invalid(f"{name}[] must be among {', '.join(allowed)}")
    return wanted


def _sort_keys() -> list[tuple[str, bool]]:
    """``sort_by``: up to two ``field[:asc|desc]``, comma-separated (or repeated)."""
    raw = [part for value in request.args.getlist("sort_by") for part in value.split(",")]
    raw = [part.strip() for part in raw if part.strip()]
    if len(raw) > 2:
        raise pd_invalid("sort_by takes at most two fields")
    keys = []
    for part in raw:
        field, _, direction = part.partition(":")
        if field not in SORT_FIELDS or direction not in ("", "asc", "desc"):
            raise pd_invalid(f"sort_by: {part[:50]!r} is not field[:asc|desc] of a known field")
        keys.append((field, direction == "desc"))
    return keys


def _sort_value(doc: Doc, field: str) -> Any:
    if field in ("created_at", "resolved_at"):
        # still open sorts after every resolution time (as if resolved in the future)
        value = doc.get(field)
        return (1, datetime.max.replace(tzinfo=UTC)) if value is None else (0, instant(value))
    return doc.get(field)


def _sorted(items: list[Doc]) -> list[Doc]:
    out = sorted(items, key=lambda d: (instant(d["created_at"]), d["incident_number"]))
    for field, desc in reversed(_sort_keys()):  # least significant first; sorts are stable
        out.sort(key=partial(_sort_value, field=field), reverse=desc)
    return out


def _zoned(render: Callable[[Doc], Doc], tz: ZoneInfo | None) -> Callable[[Doc], Doc]:
    if tz is None:
        return render

    def rendered(doc: Doc) -> Doc:
        out = render(doc)
        for key in TIMES:
            if isinstance(out.get(key), str):
                out[key] = fmt(instant(out[key]), tz)
        return out

    return rendered


def listed(items: list[Doc], render: Callable[[Doc], Doc]) -> dict[str, Any]:
    """The page of ``items`` the query asks for."""
    named = request.args.get("time_zone")
    tz = zone(named) if named is not None else None
    items = _in_range(items, tz or ZoneInfo("UTC"))
    statuses, urgencies = _choices("statuses", STATUSES), _choices("urgencies", URGENCIES)
    services, key = id_filter("service_ids"), request.args.get("incident_key")
    items = [
        i
        for i in items
        if (not statuses or i["status"] in statuses)
        and (not urgencies or i["urgency"] in urgencies)
        and (not services or i["service"] in services)
        and (key is None or i.get("incident_key") == key)
    ]
    return page(_sorted(items), "incidents", _zoned(render, tz))
