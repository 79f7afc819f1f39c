"""Read policy files into plain data while keeping every node's file position.

PyYAML composes a node graph that carries line/column marks (the C composer when
libyaml is present); we convert nodes to data ourselves so that YAML 1.1
surprises, duplicate keys and alias bombs are caught with their positions, and
we keep the root node so a position is looked up only when a problem needs one.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from opskit.policy.diagnostics import Diagnostics, Position

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - pure-Python PyYAML builds
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_RESOLVED: dict[tuple[Any, Any, Any], str] = {}


class _Loader(_BaseLoader):
    """libyaml parses, but asks Python to resolve every scalar's tag, a handful of regex
    matches each; policies repeat the same keys and values endlessly, so remember."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        key = (kind, value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            if len(_RESOLVED) < 200_000:
                _RESOLVED[key] = tag
        return tag


MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES_PER_DOCUMENT = 100_000  # counted after alias expansion
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 20
MAX_DOCUMENTS_PER_FILE = 10_000
TOO_DEEP = f"document nests deeper than {MAX_DEPTH} levels; flatten it"

_TAG = "tag:yaml.org,2002:"
_STR, _BOOL, _INT, _FLOAT = _TAG + "str", _TAG + "bool", _TAG + "int", _TAG + "float"
_NULL, _TIMESTAMP, _MERGE = _TAG + "null", _TAG + "timestamp", _TAG + "merge"
_SEQ, _MAP = _TAG + "seq", _TAG + "map"
_KNOWN_TAGS = {_STR, _BOOL, _INT, _FLOAT, _NULL, _TIMESTAMP, _SEQ, _MAP}
_CONSTRUCT = yaml.SafeLoader("")

PathKey = str | int
NodePath = tuple[PathKey, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML document: its data, and the node graph it came from."""

    path: str
    index: int
    data: Any
    node: yaml.Node | None  # None once detached; found again by parsing `file`
    origin: Position | None = None  # where an empty document starts
    file: str = ""

    def detached(self) -> Document:
        """A copy without the node graph, cheap to send between processes."""
        return Document(self.path, self.index, self.data, None, self.origin, self.file)

    @property
    def root(self) -> yaml.Node:
        return self.node if self.node is not None else _reparse(self.file)[self.index]

    @property
    def position(self) -> Position:
        return self.origin or _mark(self.path, self.root)

    def at(self, path: Sequence[PathKey], *, key: bool = False) -> Position:
        """Position of the value at `path` (or of its key), or the nearest parent found."""
        node = self.root
        for step in path:
            found = _child(node, step, key=key and step is path[-1])
            if found is None:
                break
            node = found
        return _mark(self.path, node)


@functools.lru_cache(maxsize=32)
def _reparse(file: str) -> list[yaml.Node]:
    """Nodes of a file loaded elsewhere, composed again only when a problem needs a position."""
    text = Path(file).read_bytes().decode("utf-8-sig")
    nodes: list[yaml.Node] = []
    with contextlib.suppress(yaml.YAMLError):  # the documents before a syntax error still count
        nodes.extend(yaml.compose_all(text, Loader=_Loader))
    return nodes


class _TooComplex(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        self.node, self.message = node, message


class _TooDeep(_TooComplex):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__(node, TOO_DEEP)


def _mark(path: str, node: yaml.Node) -> Position:
    mark = node.start_mark
    return Position(path, mark.line + 1, mark.column + 1)


def _child(node: yaml.Node, step: PathKey, *, key: bool) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode):
        if isinstance(step, int) and 0 <= step < len(node.value):
            child: yaml.Node = node.value[step]
            return child
        return None
    if isinstance(node, yaml.MappingNode):
        merged: list[yaml.Node] = []
        for k, v in node.value:
            if k.tag == _MERGE:
                merged.extend(v.value if isinstance(v, yaml.SequenceNode) else [v])
            elif isinstance(k, yaml.ScalarNode) and k.value == str(step):
                return k if key else v
        for m in merged:
            found = _child(m, step, key=key)
            if found is not None:
                return found
    return None


class _Converter:
    """Turns one document's nodes into plain data, reporting what it finds."""

    def __init__(self, path: str, diagnostics: Diagnostics) -> None:
        self.path, self.diagnostics, self.count = path, diagnostics, 0

    def problem(self, node: yaml.Node, rule: str, message: str) -> None:
        self.diagnostics.add(_mark(self.path, node), rule, message)

    def convert(self, node: yaml.Node, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES_PER_DOCUMENT:
            raise _TooComplex(
                node,
                f"document expands to more than {MAX_NODES_PER_DOCUMENT:,} nodes (an alias "
                "bomb?); split it or remove aliases",
            )
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self.check_tag(node, _SEQ)
            return [self.convert(item, depth + 1) for item in node.value]
        assert isinstance(node, yaml.MappingNode)
        self.check_tag(node, _MAP)
        return self.mapping(node, depth)

    def check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            self.problem(node, "yaml-syntax", f"unsupported YAML tag {node.tag!r}")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag not in _KNOWN_TAGS:
            self.problem(node, "yaml-syntax", f"unsupported YAML tag {tag!r}")
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            if value in ("true", "false", "True", "False", "TRUE", "FALSE"):
                return value.lower() == "true"
            self.problem(
                node,
                "yaml-truthy",
                f"{value!r} is read as a boolean by YAML 1.1; "
                f'quote it ("{value}") if it is text, or write true/false',
            )
            return value
        if tag in (_INT, _FLOAT) and len(value) > MAX_NUMBER_CHARS:
            # Python refuses to read integers past 4,300 digits; nothing in a policy needs 20
            self.problem(
                node,
                "yaml-number-too-large",
                f"a number of {len(value):,} characters; numbers in policies have at most "
                f"{MAX_NUMBER_CHARS}",
            )
            return value
        if ":" in value and tag in (_INT, _FLOAT):
            number = _CONSTRUCT.construct_object(node)
            self.problem(
                node,
                "yaml-sexagesimal",
                f"{value} is read as the number {number} by YAML 1.1 (base 60); "
                f'quote it: "{value}"',
            )
            return value
        if tag == _TIMESTAMP:
            self.problem(
                node,
                "yaml-implicit-date",
                f'{value} is read as a date object by YAML; quote it: "{value}"',
            )
            return value
        return _CONSTRUCT.construct_object(node)

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.update(self.merge(value_node, depth))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "yaml-syntax", "mapping keys must be plain scalars")
                continue
            key = key_node.value
            if key_node.tag != _STR:
                key = str(self.scalar(key_node))
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.problem(
                    key_node, "yaml-duplicate-key", f"duplicate key {key!r} (first on line {first})"
                )
                continue
            seen[key] = key_node
            result[key] = self.convert(value_node, depth + 1)
        return {**merged, **result}

    def merge(self, node: yaml.Node, depth: int) -> dict[str, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            value = self.convert(source, depth + 1)
            if not isinstance(value, dict):
                self.problem(source, "yaml-syntax", "a merge key (<<) needs a mapping")
                continue
            merged.update(value)
        return merged


def _empty_start(path: str, lines: list[str], node: yaml.Node) -> Position:
    """An empty document's node sits where the next one begins; point at its own '---'."""
    line = node.start_mark.line - (0 if node.start_mark.column else 1)
    for number in range(min(line, len(lines) - 1), -1, -1):
        if lines[number].startswith("---"):
            return Position(path, number + 1, 1)
    return _mark(path, node)


def _error_position(path: str, error: yaml.YAMLError, text: str) -> Position:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return Position(path, mark.line + 1, mark.column + 1)
    offset = getattr(error, "position", None)
    if isinstance(offset, int):
        return _offset_position(path, text, offset)
    return Position(path, 1, 1)


def _offset_position(path: str, text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return Position(path, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


# Newer PyYAML builds (6.0.4's libyaml, for one) refuse deep nesting while scanning,
# before our own depth check sees the nodes: both mean the same problem.
_PARSER_DEPTH_LIMIT = "maximum nesting depth"
def _syntax_message(error: yaml.YAMLError, text: str, position: Position) -> tuple[str, str]:
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    if _PARSER_DEPTH_LIMIT in problem:
        return "yaml-too-complex", TOO_DEEP
    lines = text.splitlines()
    line = lines[position.line - 1] if 0 < position.line <= len(lines) else ""
    if line[position.column - 1 : position.column] == "\t" or "\\t" in problem:
        return "yaml-tab", "tab character in indentation; YAML indents with spaces only"
    text = f"{context}, {problem}" if context else problem
    return "yaml-syntax", f"YAML syntax error: {text}"


def decode(path: str, raw: bytes, diagnostics: Diagnostics) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8", errors="replace")
        position = _offset_position(path, before + "\n", len(before))
        diagnostics.add(
            position,
            "encoding",
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )
        return None


def load_text(path: str, text: str, diagnostics: Diagnostics, *, file: str = "") -> list[Document]:
    """Parse every document in `text`; problems go to `diagnostics`, never raise."""
    documents: list[Document] = []
    nodes: Iterator[yaml.Node] = yaml.compose_all(text, Loader=_Loader)
    index = 0
    lines: list[str] = []  # split once, when the first empty document needs them
    try:
        for node in nodes:
            converter = _Converter(path, diagnostics)
            try:
                data = converter.convert(node)
            except _TooComplex as error:
                diagnostics.add(_mark(path, error.node), "yaml-too-complex", error.message)
            else:
                if data is None and not lines:
                    lines = text.splitlines()
                origin = _empty_start(path, lines, node) if data is None else None
                documents.append(Document(path, index, data, node, origin, file))
            index += 1
            if index > MAX_DOCUMENTS_PER_FILE:
                diagnostics.add(
                    _mark(path, node),
                    "yaml-too-complex",
                    f"file holds more than {MAX_DOCUMENTS_PER_FILE:,} documents; split it",
                )
                break
    except yaml.YAMLError as error:
        position = _error_position(path, error, text)
        rule, message = _syntax_message(error, text, position)
        diagnostics.add(position, rule, message)
    except RecursionError:  # the pure-Python composer recurses per level
        diagnostics.add(Position(path, 1, 1), "yaml-too-complex", TOO_DEEP)
    return documents


def load_file(
    path: Path | str, diagnostics: Diagnostics, *, display: str | None = None
) -> list[Document]:
    name = display or str(path)
    found = read_file(path, diagnostics, name)
    return [] if found is None else load_bytes(path, found[0], diagnostics, name)


def read_file(
    path: Path | str, diagnostics: Diagnostics, name: str
) -> tuple[bytes, os.stat_result] | None:
    """A policy file's bytes and its stat as read, or None with the problem reported
    (unreadable, too large)."""
    try:
        raw, info = read_bounded(path)
    except OSError as error:
        diagnostics.add(Position(name), "file-unreadable", f"cannot read file: {error.strerror}")
        return None
    if len(raw) > MAX_FILE_BYTES:
        diagnostics.add(
            Position(name, 1, 1),
            "file-too-large",
            f"file is over the limit of {MAX_FILE_BYTES:,} bytes: split it",
        )
        return None
    return raw, info


def read_bounded(path: Path | str) -> tuple[bytes, os.stat_result]:
    """At most MAX_FILE_BYTES + 1 bytes. Plain file descriptors, no buffered file object:
    for thousands of small files that halves the cost of reading. The read asks for the
    file's own size: asking for the limit would allocate that much every time."""
    # O_NONBLOCK: a FIFO put in a file's place after it was listed must not hang the run
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        size = info.st_size
        want = min(size, MAX_FILE_BYTES) + 1 if size else MAX_FILE_BYTES + 1
        chunks: list[bytes] = []
        got = 0
        while got < want:  # short reads: pipes, network file systems
            chunk = os.read(fd, want - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    finally:
        os.close(fd)
    return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), info


def load_bytes(path: Path | str, raw: bytes, diagnostics: Diagnostics, name: str) -> list[Document]:
    text = decode(name, raw, diagnostics)
    if text is None:
        return []
    documents = load_text(name, text, diagnostics, file=str(path))
    if not documents and not any(d.position.path == name for d in diagnostics.items):
        diagnostics.add(Position(name, 1, 1), "document-empty", "file holds no YAML document")
    return documents
