"""The ordered matches of a search, remembered across its pages.

A client reads a long result a page (at most 100 issues) at a time; working out the order
afresh for every page re-reads, re-matches and re-sorts every issue, which made a year of
tickets take most of a minute to read. Which issues match and in what order depends only on
the query's text, the stored data and, when the query names a function or a relative date
(``now()``, ``startOfDay()``, ``-7d``, ``currentUser()``), the sandbox's current time and the
caller. So the issue keys in order are kept per store, keyed by exactly those: the text, the
store's write generation (any write starts afresh) and, only for such a query, the time and
the caller. A page still shows its issues as they are stored, so every answer is what it
would be without the cache.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from opskit.sandbox.db import Store
from opskit.sandbox.jira.jql import tokens

KEEP = 8  # queries remembered per store (a few clients paging at once)
_RELATIVE = re.compile(r"^[-+]?\d+[a-z]+$", re.IGNORECASE)  # -7d, 4w, +15m, ...
_cache: WeakKeyDictionary[Store, dict[tuple[Any, ...], list[str]]] = WeakKeyDictionary()
_lock = threading.Lock()


def _depends_on_context(jql: str) -> bool:
    """Whether the query may mean something else at another time or for another caller:
    any function call or relative date in it (erring towards yes)."""
    return any(t.endswith("()") or _RELATIVE.match(t.lstrip("\x00")) for t in tokens(jql))


def ordered_keys(
    store: Store, jql: str, now: datetime, caller: str, compute: Callable[[], list[str]]
) -> list[str]:
    """``compute()`` (the keys of the matching issues in order), or what it gave for the
    same query over the same data."""
    context = (now.isoformat(), caller) if _depends_on_context(jql) else ()
    key = (jql, store.generation(), *context)
    with _lock:
        known = _cache.setdefault(store, {})
        if key in known:
            return known[key]
    keys = compute()
    with _lock:
        known[key] = keys
        while len(known) > KEEP:
            del known[next(iter(known))]  # the oldest first
    return keys
