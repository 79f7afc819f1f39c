"""JQL clause matchers: value lists (IN), comparisons, text search and date values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from opskit.sandbox.errors import JiraError
from opskit.sandbox.jira.jql_fields import FieldSpec, values_of

Doc = dict[str, Any]
Match = Callable[[Doc], bool]
EMPTY = "\x01empty"  # the EMPTY / null keyword, and "Unresolved"
_REL = re.compile(r"^([-+]?)(\d+)([wdhm])$")


def jql_error(message: str) -> JiraError:
    return JiraError(400, [f"Error in the JQL Query: {message}"])


def in_clause(spec: FieldSpec, wanted: list[str], negate: bool) -> Match:
    lows = {w.lower() for w in wanted if w != EMPTY}
    empty_ok = EMPTY in wanted

    def match(doc: Doc) -> bool:
        have = values_of(doc, spec)
        if not have:  # an empty field matches IN (EMPTY, ..) only; NOT IN never
            return empty_ok and not negate
        hit = bool(lows & {str(v).lower() for v in have})
        return hit != negate

    return match


def _date(value: str, now: datetime, field: str) -> datetime:
    low = value.lower()
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    fixed = {"now()": now, "startofday()": day, "endofday()": day + timedelta(days=1)}
    if low in fixed:
        return fixed[low] - (timedelta(milliseconds=1) if low == "endofday()" else timedelta())
    rel = _REL.match(value)
    if rel:
        unit = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}[rel.group(3)]
        delta = timedelta(**{unit: int(rel.group(2))})
        return now - delta if rel.group(1) == "-" else now + delta
    for fmt in ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise jql_error(
        f"Date value '{value[:50]}' for field '{field}' is invalid. Valid formats "
        "include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a "
        "period format e.g. '-5d', '4w 2d'."
    )


_ORDERED: dict[str, Callable[[Any, Any], bool]] = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}


def compare(spec: FieldSpec, op: str, raw: str, now: datetime) -> Match:
    if op in ("~", "!~"):
        if not spec.text:
            raise jql_error(f"The operator '{op}' is not supported by the '{spec.name}' field.")
        words = raw.lower().split()
        return lambda d: (
            all(any(w in str(v).lower() for v in values_of(d, spec)) for w in words) == (op == "~")
        )
    if raw == EMPTY:
        return lambda d: bool(values_of(d, spec)) == (op == "!=")
    if spec.date:
        when = _date(raw, now, spec.name)
        if op in ("=", "!="):
            return lambda d: any((v == when) == (op == "=") for v in values_of(d, spec))
        return lambda d: any(_ORDERED[op](v, when) for v in values_of(d, spec))
    if op not in ("=", "!="):
        raise jql_error(f"The operator '{op}' is not supported by the '{spec.name}' field.")
    return in_clause(spec, [raw], op == "!=")
