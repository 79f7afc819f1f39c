"""Ticket history from a file, for desks without Jira: an export of created tickets.

CSV with a header naming `created`, `priority` and either `customer` (a Customer's policy
name: its tier applies) or `tier`, and optionally `handle_minutes` (agent work on the
ticket); or JSON, a list of objects with those keys. `created` is ISO 8601 with an offset
(or Z); `priority` a Priority's name or its `jira_name`. The file must be a regular file
inside the repository, at most MAX_BYTES and MAX_ROWS; a bad row is an error at its
`file:line:col` and nothing is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from opskit.capacity.demand import Arrival
from opskit.policy.model import Policy
from opskit.sla.assign import priority_of

MAX_BYTES = 64 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_HANDLE_MINUTES = 7 * 24 * 60


class ExportError(ValueError):
    """`path:line:col: message`."""


def read(path: Path, policy: Policy) -> list[Arrival]:
    if not path.is_file():
        raise ExportError(f"{path}:1:1: not a regular file")
    if path.stat().st_size > MAX_BYTES:
        raise ExportError(f"{path}:1:1: larger than {MAX_BYTES // 1024 // 1024} MiB")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ExportError(f"{path}:1:1: not UTF-8 text") from None
    rows = _json(path, text) if path.suffix.lower() == ".json" else _csv(path, text)
    out = []
    for n, (line, columns, row) in enumerate(rows):
        if n >= MAX_ROWS:
            raise ExportError(f"{path}:{line}:1: more than {MAX_ROWS:,} tickets")
        out.append(_arrival(path, line, columns, row, policy))
    return out


Row = tuple[int, Mapping[str, int], Mapping[str, object]]  # line, column of each key, values


def _csv(path: Path, text: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [c.strip().lower() for c in next(reader)]
    except StopIteration:
        raise ExportError(f"{path}:1:1: empty: the first row names the columns") from None
    missing = {"created", "priority"} - set(header)
    if missing or not {"customer", "tier"} & set(header):
        need = sorted(missing) or ["customer or tier"]
        raise ExportError(f"{path}:1:1: the header must name {', '.join(need)}")
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise ExportError(
                f"{path}:{line}:1: {len(values)} columns, the header has {len(header)}"
            )
        columns, col = {}, 1
        for name, value in zip(header, values, strict=True):
            columns[name] = col
            col += len(value) + 1
        yield line, columns, dict(zip(header, values, strict=True))


def _json(path: Path, text: str) -> Iterator[Row]:
    decoder = json.JSONDecoder()
    i = _skip(text, 0)
    if not text.startswith("[", i):
        raise ExportError(f"{path}:1:1: expected a list of tickets")
    i = _skip(text, i + 1)
    while not text.startswith("]", i):
        line, col = text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i)
        try:
            item, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError as error:
            raise ExportError(f"{path}:{error.lineno}:{error.colno}: {error.msg}") from None
        if not isinstance(item, dict):
            raise ExportError(f"{path}:{line}:{col}: a ticket is an object")
        yield line, dict.fromkeys(item, col), item
        i = _skip(text, i)
        if text.startswith(",", i):
            i = _skip(text, i + 1)
        elif not text.startswith("]", i):
            raise ExportError(f"{path}:{text.count(chr(10), 0, i) + 1}:1: expected , or ]")


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _arrival(
    path: Path, line: int, columns: Mapping[str, int], row: Mapping[str, object], policy: Policy
) -> Arrival:
    def bad(key: str, message: str) -> ExportError:
        return ExportError(f"{path}:{line}:{columns.get(key, 1)}: {message}")

    created_text = str(row.get("created", "")).strip()
    try:
        created = dt.datetime.fromisoformat(created_text)
    except ValueError:
        raise bad(
            "created", f"{created_text[:40]!r} is not a time (2026-03-02T09:15:00+01:00)"
        ) from None
    if created.tzinfo is None:
        raise bad("created", f"{created_text[:40]!r} has no offset: add Z or +01:00")
    priority = priority_of(str(row.get("priority", "")), policy)
    if priority is None:
        raise bad("priority", f"{str(row.get('priority'))[:40]!r} is no Priority of the policies")
    customer_name = str(row.get("customer") or "").strip()
    if customer_name:
        if customer_name not in policy.customers:
            raise bad("customer", f"{customer_name[:60]!r} is no Customer of the policies")
        tier, customer = policy.customers[customer_name].tier.name, customer_name
    else:
        tier, customer = str(row.get("tier") or "").strip(), ""
        if tier not in policy.tiers:
            raise bad("tier", f"{tier[:60]!r} is no SlaTier of the policies")
    return Arrival(created, tier, priority.name, customer, _handle(row, bad))


def _handle(row: Mapping[str, object], bad: Callable[[str, str], ExportError]) -> float | None:
    raw = row.get("handle_minutes")
    if raw is None or str(raw).strip() == "":
        return None
    try:
        minutes = float(str(raw)) if not isinstance(raw, bool) else math.nan
    except ValueError:
        minutes = math.nan
    if not 0 < minutes <= MAX_HANDLE_MINUTES:
        raise bad("handle_minutes", f"{str(raw)[:20]!r} is not a number of minutes, 0 to a week")
    return minutes * 60
