"""A customer's usage series, given by the user: one file per customer in a folder.

`<customer>.csv` (a header `date,value`, then one row per day or week: `2026-11-02,1520`)
or `<customer>.json` (`[{"date": "2026-11-02", "value": 1520}, ...]`). Values are numbers
(logins, API calls, seats: the report only compares a period's mean with the one before).
The folder must lie inside the repository; each file is read only if it is a regular file
of at most MAX_BYTES with at most MAX_ROWS rows. A bad row is an error at its
`file:line:col`, and nothing is reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import statistics
from pathlib import Path

from opskit.sla.review.period import Period

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
Series = list[tuple[dt.date, float]]


class UsageError(ValueError):
    """`path:line:col: message`: a usage file that cannot be read as a series."""


def _where(path: Path, line: int, col: int, message: str) -> UsageError:
    return UsageError(f"{path}:{line}:{col}: {message}")


def _value(
    path: Path, line: int, col: int, raw_date: object, raw_value: object, value_col: int = 1
) -> tuple[dt.date, float]:
    try:
        day = dt.date.fromisoformat(str(raw_date).strip())
    except ValueError:
        raise _where(path, line, col, f"{str(raw_date)[:40]!r} is not a date (2026-11-02)") from None
    try:
        value = float(str(raw_value).strip()) if not isinstance(raw_value, bool) else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not -1e15 <= value <= 1e15:
        raise _where(path, line, value_col, f"{str(raw_value)[:40]!r} is not a number")
    return day, value


def _csv(path: Path, text: str) -> Series:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0]] != ["date", "value"]:
        raise _where(path, 1, 1, "the first row must be the header date,value")
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != 2:
            raise _where(path, number, 1, f"expected 2 columns (date,value), found {len(row)}")
        out.append(_value(path, number, 1, row[0], row[1], len(row[0]) + 2))
    return out


def _json(path: Path, text: str) -> Series:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _where(path, error.lineno, error.colno, error.msg) from None
    if not isinstance(data, list):
        raise _where(path, 1, 1, 'expected a list of {"date": ..., "value": ...}')
    out = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or set(item) != {"date", "value"}:
            raise _where(path, 1, 1, f'item {index}: expected {{"date": ..., "value": ...}}')
        out.append(_value(path, 1, 1, item["date"], item["value"]))
    return out


def load(folder: Path, customers: list[str]) -> dict[str, Series]:
    """Customer -> its series, for the customers with a file in the folder."""
    found: dict[str, Series] = {}
    for name in customers:
        for suffix, parse in ((".csv", _csv), (".json", _json)):
            path = folder / f"{name}{suffix}"
            if not path.is_file():
                continue
            if path.stat().st_size > MAX_BYTES:
                raise _where(path, 1, 1, f"larger than {MAX_BYTES // 1024 // 1024} MiB")
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise _where(path, 1, 1, "not UTF-8 text") from None
            if text.count("\n") > MAX_ROWS:
                raise _where(path, MAX_ROWS + 1, 1, f"more than {MAX_ROWS} rows")
            found[name] = sorted(parse(path, text))
            break
    return found


def mean_in(series: Series, period: Period) -> float | None:
    values = [v for d, v in series if period.start.date() <= d < period.end.date()]
    return statistics.fmean(values) if values else None
