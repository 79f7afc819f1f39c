"""Problems found in policies, each pointing at a file position and naming its rule."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Level(enum.IntEnum):
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A 1-based place in a file."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found: where it is, how serious, the rule it names, and what is wrong."""

    position: Position
    level: Level
    rule: str
    message: str
    hint: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        p = self.position
        return (p.path, p.line, p.column, self.rule, self.message)


@dataclass(slots=True)
class Diagnostics:
    """Collects problems from every stage; nothing stops at the first one."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        position: Position,
        rule: str,
        message: str,
        *,
        level: Level = Level.ERROR,
        hint: str = "",
    ) -> None:
        self.items.append(Diagnostic(position, level, rule, message, hint))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    def sorted(self) -> list[Diagnostic]:
        """Unique problems in file order.

        Where the loader already explained a value (say, an unquoted 1:30 read as
        a number), later stages' complaints about the same spot are noise.
        """
        explained = {d.position for d in self.items if d.rule.startswith("yaml-")}
        kept = {d for d in self.items if d.rule.startswith("yaml-") or d.position not in explained}
        return sorted(kept, key=Diagnostic.sort_key)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.items if d.level is Level.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.items if d.level is Level.WARNING)

    def __len__(self) -> int:
        return len(self.items)


EXCERPT_CHARS = 40


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """A value from a policy as a message may quote it: short, and escaped so that no
    newline or control character reaches the output (repr escapes them; the cut keeps a
    long secret pasted by mistake from being echoed whole)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def printable(text: str) -> str:
    """`text` with every control and line-separating character escaped, so one problem is
    one line in every format (and nothing can forge a second one)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
