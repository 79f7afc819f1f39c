"""What the playbook checks learn from a template's text, kept between runs.

Reading a template needs jinja2, a sixth of validate's start-up, yet what the checks learn
from one text (its syntax error, the names it leaves undeclared, the `inputs` and `steps`
it reads) depends on nothing else: an unchanged repository validates without importing
jinja2. One marshal file in the user's cache folder (beside ``file_cache``'s, trusted as
much), thrown away whole when opskit, this code, the checks or jinja2 change; keyed by
a digest of the text; at most ``MAX_ENTRIES``. Unreadable is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path

from opskit import __version__
from opskit.disk_cache import blake2b, cache_dir, write_atomically

FORMAT = 1
MAX_ENTRIES = 20_000
# error message or None, undeclared names, (`inputs` or `steps`, name) read
Facts = tuple[str | None, tuple[str, ...], tuple[tuple[str, str], ...]]


def _stamp(path: str | None) -> tuple[int, int] | None:
    try:
        info = os.stat(path) if path else None  # noqa: PTH116
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size) if info else None


def _version() -> str:
    here = Path(__file__).parent
    spec = importlib.util.find_spec("jinja2")
    code = [_stamp(str(here / name)) for name in ("template_memo.py", "playbooks_flow.py")]
    return repr(
        (FORMAT, __version__, sys.version_info[:2], code, _stamp(spec.origin if spec else None))
    )


class Memo:
    def __init__(self, path: Path | None) -> None:
        self.path, self.changed = path, False
        self.version = _version()
        self.facts: dict[bytes, Facts] = {}
        if path is not None:
            with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
                version, facts = marshal.loads(path.read_bytes())
                if version == self.version and isinstance(facts, dict):
                    self.facts = facts

    def get(self, text: str, expression: bool, compute: Callable[[str, bool], Facts]) -> Facts:
        key = blake2b(f"{int(expression)}{text}".encode(), digest_size=16).digest()
        found = self.facts.get(key)
        if found is None:
            found = compute(text, expression)
            if len(self.facts) < MAX_ENTRIES:
                self.facts[key], self.changed = found, True
        return found

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        with contextlib.suppress(OSError, ValueError):
            write_atomically(self.path, marshal.dumps((self.version, self.facts)))
        self.changed = False


_MEMO: Memo | None = None


def memo(enabled: bool) -> Memo:
    """The process's memo: kept on disk when `enabled`, else for this run only."""
    global _MEMO
    wanted = cache_dir() / "template-facts.marshal" if enabled else None
    if _MEMO is None or _MEMO.path != wanted:
        _MEMO = Memo(wanted)
    return _MEMO
