"""A small JQL subset: ``field op value`` clauses joined by AND, IN lists, ORDER BY.

Fields: project, status, statusCategory, priority, key/issuekey, created, updated.
Dates: ``"2026-01-05"``, ``"2026-01-05 10:30"``, relative ``-7d``/``-4h``/``-30m``/``-2w``,
``now()``. Anything else is a JQL error, reported the way Jira does (400).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from opskit.sandbox.errors import JiraError

Doc = dict[str, Any]
_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|\'[^\']*\')|(?P<op>!=|>=|<=|=|>|<|~)|'
    r"(?P<punct>[(),])|(?P<word>[A-Za-z0-9_.\-/:*\[\]]+(?:\(\))?))"
)
FIELDS = {
    "project",
    "status",
    "statuscategory",
    "priority",
    "key",
    "issuekey",
    "created",
    "updated",
}
_REL = re.compile(r"^-?(\d+)([wdhm])$")


def jql_error(message: str) -> JiraError:
    return JiraError(400, [f"Error in the JQL Query: {message}"])


def tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise jql_error(f"The character '{text[pos]}' is a reserved JQL character.")
        value = m.group("str")
        out.append(value[1:-1] if value else m.group(m.lastgroup or "word"))
        if value:
            out[-1] = "\x00" + out[-1]  # mark quoted so keywords inside quotes stay values
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


@dataclass
class Query:
    match: Callable[[Doc], bool]
    order: list[tuple[str, bool]]


def _date(value: str, now: datetime) -> datetime:
    if value.lower() == "now()":
        return now
    rel = _REL.match(value)
    if rel:
        unit = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}[rel.group(2)]
        delta = timedelta(**{unit: int(rel.group(1))})
        return now - delta if value.startswith("-") else now + delta
    for fmt in ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise jql_error(f"Date value '{value}' for field is invalid.")


def parse(text: str, value_of: Callable[[Doc, str], Any], now: datetime) -> Query:
    toks = tokens(text)
    clauses: list[Callable[[Doc], bool]] = []
    order: list[tuple[str, bool]] = []
    i = 0

    def word(k: int) -> str:
        return toks[k].lower() if k < len(toks) and not toks[k].startswith("\x00") else ""

    while i < len(toks):
        if word(i) == "order" and word(i + 1) == "by":
            i += 2
            while i < len(toks):
                field = word(i)
                if field not in FIELDS:
                    raise jql_error(
                        f"Field '{toks[i]}' does not exist or you do not have "
                        "permission to view it."
                    )
                desc = word(i + 1) == "desc"
                i += 2 if word(i + 1) in ("asc", "desc") else 1
                order.append((field, desc))
                if i < len(toks) and toks[i] == ",":
                    i += 1
            break
        field = word(i)
        if field not in FIELDS:
            raise jql_error(
                f"Field '{toks[i]}' does not exist or you do not have permission to view it."
            )
        i += 1
        negate = word(i) == "not" and word(i + 1) == "in"
        if word(i) == "in" or negate:
            i += 2 if negate else 1
            if i >= len(toks) or toks[i] != "(":
                raise jql_error("Expecting '(' after IN.")
            values = []
            i += 1
            while i < len(toks) and toks[i] != ")":
                if toks[i] != ",":
                    values.append(toks[i].lstrip("\x00"))
                i += 1
            i += 1
            clauses.append(_in_clause(field, values, negate, value_of))
        else:
            if i + 1 >= len(toks) + 0 and i >= len(toks):
                raise jql_error(f"Expecting operator after '{field}'.")
            op = toks[i] if i < len(toks) else ""
            if op not in ("=", "!=", ">=", "<=", ">", "<"):
                raise jql_error(f"Expecting operator but got '{op}'.")
            if i + 1 >= len(toks):
                raise jql_error(f"Expecting a value after '{field} {op}'.")
            clauses.append(_compare(field, op, toks[i + 1].lstrip("\x00"), value_of, now))
            i += 2
        if i < len(toks) and word(i) == "and":
            i += 1
        elif i < len(toks) and word(i) != "order":
            raise jql_error(f"Expecting 'AND' or 'ORDER BY' but got '{toks[i]}'.")
    return Query(lambda doc: all(c(doc) for c in clauses), order)


def _in_clause(
    field: str, values: list[str], negate: bool, value_of: Callable[[Doc, str], Any]
) -> Callable[[Doc], bool]:
    wanted = {v.lower() for v in values}
    return lambda doc: (str(value_of(doc, field)).lower() in wanted) != negate


def _compare(
    field: str, op: str, raw: str, value_of: Callable[[Doc, str], Any], now: datetime
) -> Callable[[Doc], bool]:
    if field in ("created", "updated"):
        when = _date(raw, now)
        ops: dict[str, Callable[[Any, Any], bool]] = {
            "=": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            ">=": lambda a, b: a >= b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            "<": lambda a, b: a < b,
        }
        return lambda doc: ops[op](value_of(doc, field), when)
    if op not in ("=", "!="):
        raise jql_error(f"The operator '{op}' is not supported by the '{field}' field.")
    low = raw.lower()
    return lambda doc: (str(value_of(doc, field)).lower() == low) == (op == "=")
