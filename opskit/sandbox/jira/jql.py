"""JQL: clauses joined by AND / OR / NOT with parentheses, then ORDER BY.

Clauses: ``field = v``, ``!=``, ``<``/``<=``/``>``/``>=`` (dates), ``~`` / ``!~`` (text),
``IN (..)``, ``NOT IN (..)``, ``IS [NOT] EMPTY``. Which fields exist and what values they
hold is ``jql_fields``' business. Dates: ``"2026-01-05"``, ``"2026/01/05 10:30"``, relative
``-7d``/``-4h``/``-15m``/``-2w``, ``now()``, ``startOfDay()``, ``endOfDay()`` (UTC, every
sandbox user's zone). As in Jira, ``!=`` and ``NOT IN`` never match an empty field.
Mistakes are answered as Jira does: 400 with ``errorMessages``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opskit.sandbox.jira.jql_clauses import EMPTY, compare, in_clause, jql_error
from opskit.sandbox.jira.jql_fields import FieldSpec, field_spec, values_of
from opskit.sandbox.jira.jql_values import check_value

Doc = dict[str, Any]
Match = Callable[[Doc], bool]
MAX_JQL = 10000
MAX_DEPTH = 50
_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|\'[^\']*\')|(?P<op>!=|!~|>=|<=|=|>|<|~)|'
    r"(?P<punct>[(),])|(?P<word>[A-Za-z0-9_.\-/:*\[\]+@]+(?:\(\))?))"
)
_OPERATORS = (
    "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', "
    "'IS' and 'IS NOT'."
)


def tokens(text: str) -> list[str]:
    if len(text) > MAX_JQL:
        raise jql_error(f"The query is longer than {MAX_JQL} characters.")
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise jql_error(
                f"The character '{text[pos]}' is a reserved JQL character. You must enclose it "
                f"in a string or use the escape '\\u{ord(text[pos]):04x}' instead. "
                f"(line 1, character {pos + 1})"
            )
        quoted = m.group("str")
        if quoted:
            out.append("\x00" + re.sub(r"\\(.)", r"\1", quoted[1:-1]))  # \x00: a quoted value
        else:
            out.append(m.group(m.lastgroup or "word"))
        pos = m.end()
    return out


@dataclass
class Query:
    """A parsed JQL query: which issues match, and ORDER BY's fields (True: descending)."""

    match: Match
    order: list[tuple[FieldSpec, bool]]


class _Parser:
    def __init__(self, toks: list[str], now: datetime) -> None:
        self.toks, self.i, self.now, self.depth = toks, 0, now, 0

    def word(self, k: int = 0) -> str:
        j = self.i + k
        tok = self.toks[j] if j < len(self.toks) else ""
        return "" if tok.startswith("\x00") else tok.lower()

    def take(self) -> str:
        if self.i >= len(self.toks):
            raise jql_error("Expecting more of the query but reached its end.")
        self.i += 1
        return self.toks[self.i - 1]

    def expr(self) -> Match:
        parts = [self.term()]
        while self.word() == "or":
            self.i += 1
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else (lambda d: any(p(d) for p in parts))

    def term(self) -> Match:
        parts = [self.factor()]
        while self.word() == "and":
            self.i += 1
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else (lambda d: all(p(d) for p in parts))

    def factor(self) -> Match:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise jql_error(f"The query nests deeper than {MAX_DEPTH} levels.")
        try:
            if self.word() == "not" or self.word() == "!":
                self.i += 1
                inner = self.factor()
                return lambda d: not inner(d)
            if self.word() == "(":
                self.i += 1
                inner = self.expr()
                if self.word() != ")":
                    raise jql_error("Expecting ')' to close the parenthesis.")
                self.i += 1
                return inner
            return self.clause()
        finally:
            self.depth -= 1

    def clause(self) -> Match:
        name = self.take().lstrip("\x00")
        spec = field_spec(name)
        if self.word() == "is":
            self.i += 1
            negate = self.word() == "not"
            self.i += 1 if negate else 0
            if self.word() not in ("empty", "null"):
                raise jql_error(f"Expecting 'EMPTY' after 'IS' in the clause on '{name}'.")
            self.i += 1
            return lambda d: bool(values_of(d, spec)) == negate
        negate = self.word() == "not" and self.word(1) == "in"
        if self.word() == "in" or negate:
            self.i += 2 if negate else 1
            return in_clause(spec, self.value_list(spec), negate)
        op = self.take()
        if op.startswith("\x00") or op not in ("=", "!=", ">=", "<=", ">", "<", "~", "!~"):
            raise jql_error(f"Expecting operator but got '{op.lstrip(chr(0))}'. {_OPERATORS}")
        return compare(spec, op, self.value(spec), self.now)

    def value(self, spec: FieldSpec) -> str:
        raw = self.take()
        if raw in ("(", ")", ","):
            raise jql_error(f"Expecting a value for the field '{spec.name}' but got '{raw}'.")
        if not raw.startswith("\x00") and raw.lower() in ("empty", "null"):
            return EMPTY
        return check_value(spec, raw.lstrip("\x00"), quoted=raw.startswith("\x00"))

    def value_list(self, spec: FieldSpec) -> list[str]:
        if self.word() != "(":
            raise jql_error("Expecting '(' after IN.")
        self.i += 1
        out = []
        while self.word() != ")":
            out.append(self.value(spec))
            if self.word() == ",":
                self.i += 1
            elif self.word() != ")":
                raise jql_error("Expecting ',' or ')' in the list of values.")
        self.i += 1
        return out


def parse(text: str, now: datetime) -> Query:
    p = _Parser(tokens(text), now)
    match: Match = lambda d: True  # noqa: E731 - an empty query matches everything
    if p.i < len(p.toks) and not (p.word() == "order" and p.word(1) == "by"):
        match = p.expr()
    order: list[tuple[FieldSpec, bool]] = []
    if p.word() == "order" and p.word(1) == "by":
        p.i += 2
        while p.i < len(p.toks):
            spec = field_spec(p.take().lstrip("\x00"))
            desc = p.word() == "desc"
            p.i += 1 if p.word() in ("asc", "desc") else 0
            order.append((spec, desc))
            if p.word() == ",":
                p.i += 1
            elif p.i < len(p.toks):
                raise jql_error(f"Expecting ',' but got '{p.toks[p.i].lstrip(chr(0))}'.")
    elif p.i < len(p.toks):
        raise jql_error(f"Expecting either 'OR' or 'AND' but got '{p.toks[p.i].lstrip(chr(0))}'.")
    return Query(match, order)
