"""PyYAML's node graphs into policy data, with positions (what ``loader`` parses with).

Apart from ``loader`` so that only a run that parses something imports PyYAML.
"""

from __future__ import annotations

import contextlib
import functools
import operator
import sys
from collections.abc import Iterator
from typing import Any

import yaml

from opskit.policy import loader
from opskit.policy.diagnostics import Diagnostics, Position
from opskit.policy.loader import (
    MAX_DEPTH,
    MAX_DOCUMENTS_PER_FILE,
    MAX_NODES_PER_DOCUMENT,
    MAX_NUMBER_CHARS,
    TOO_DEEP,
    Document,
    PathKey,
    _offset_position,
    read_bounded,
)

try:
    from yaml import CSafeLoader as _BaseLoader
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - pure-Python PyYAML builds
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    _CParser = None  # type: ignore[assignment,misc]

class _Loader(_BaseLoader):
    """libyaml parses, but asks Python to resolve the tag of every node written without
    one: a Python call a node, a fifth of composing. `slice` is a C callable that only
    keeps the question (kind, value, implicit) as the node's tag; the converter, which
    visits every node anyway, answers it there (`tag_of`, and inline where it is hot)."""

    resolve = staticmethod(slice)  # a question, answered later

    # The composer calls these two hooks for every node; with no path resolvers
    # registered (opskit adds none) PyYAML's return at once. C callables that do
    # nothing save two Python calls a node, a sixth of composing.
    descend_resolver = staticmethod(operator.is_)  # type: ignore[assignment]  # result unused
    ascend_resolver = staticmethod(object)  # type: ignore[assignment]  # result unused

    if _CParser is not None:
        # Only the parser's own: composing uses none of the constructor's or the resolver's
        # state, which CSafeLoader would set up again for every file.
        __init__ = _CParser.__init__


# Keys repeat in every document (kind, name, ...): interned, one string serves them all,
# which keeps a large repository's data smaller, and finds them by identity in lookups.
_intern = sys.intern
_TAG = "tag:yaml.org,2002:"
_STR, _BOOL, _INT, _FLOAT = _TAG + "str", _TAG + "bool", _TAG + "int", _TAG + "float"
_NULL, _TIMESTAMP, _MERGE = _TAG + "null", _TAG + "timestamp", _TAG + "merge"
_SEQ, _MAP = _TAG + "seq", _TAG + "map"
_KNOWN_TAGS = {_STR, _BOOL, _INT, _FLOAT, _NULL, _TIMESTAMP, _SEQ, _MAP}
_CONSTRUCT = yaml.SafeLoader("")
Tag = Any  # a node's tag: a str, or the slice `_Loader.resolve` left for `_answer`
_RESOLVER = yaml.resolver.Resolver()  # YAML 1.1's answers, as CSafeLoader's own resolver gives them
# A plain scalar's tag depends on its text alone; policies repeat the same keys and values
# endlessly, so each text is resolved once (bounded: hostile input has endless new ones).
_PLAIN: dict[str, str] = {}
_PLAIN_LIMIT = 200_000
# YAML 1.1 resolves a plain scalar by its first character; one no rule starts with is text
# (names, emails: most unique values, which the memo above would only fill up with).
_FIRST_CHARACTERS = frozenset(_RESOLVER.yaml_implicit_resolvers)
assert None not in _FIRST_CHARACTERS, "no resolver may apply to every first character"


def _answer(question: slice) -> str:
    """The tag PyYAML's resolver gives a node without one; `question` is what the
    composer asked (`_Loader.resolve`): the node's kind, value and implicit flags."""
    kind, value, implicit = question.start, question.stop, question.step
    if kind is not yaml.ScalarNode:  # no path resolvers: collections get the default
        return _SEQ if kind is yaml.SequenceNode else _MAP
    if not implicit[0] or value[:1] not in _FIRST_CHARACTERS:  # quoted, or "!"; or plain text
        return _STR
    tag = _PLAIN.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        if len(_PLAIN) < _PLAIN_LIMIT:
            _PLAIN[value] = tag
    return tag


def tag_of(node: yaml.Node) -> str:
    """The node's tag: as written, or as YAML 1.1 resolves it."""
    tag: Tag = node.tag
    return _answer(tag) if tag.__class__ is slice else tag


def reparse(file: str) -> list[yaml.Node]:
    """Nodes of a file loaded elsewhere, composed again only when a problem needs a position.
    Within a run (loader.one_run) remembered by name: thousands of problems in one file
    read it once. Otherwise by the file's bytes as they are now, never by its name alone: a
    file written again under the same name (by a long-lived caller, or a test) is composed
    again."""
    memo = loader.run_nodes()
    if memo is not None and file in memo:
        memo.move_to_end(file)
        return memo[file]
    try:  # as bounded as the first read: it may have become a FIFO, or huge, since
        raw = read_bounded(file)[0]
    except OSError:  # gone since it was read: no positions beyond its start
        return []
    nodes = _composed(raw) if len(raw) <= loader.MAX_FILE_BYTES else []
    if memo is not None:
        memo[file] = nodes
        if len(memo) > loader.RUN_NODE_FILES:
            memo.popitem(last=False)
    return nodes


@functools.lru_cache(maxsize=32)
def _composed(raw: bytes) -> list[yaml.Node]:
    nodes: list[yaml.Node] = []
    # the documents before a syntax error still count
    with contextlib.suppress(yaml.YAMLError, UnicodeDecodeError):
        nodes.extend(yaml.compose_all(raw.decode("utf-8-sig"), Loader=_Loader))
    return nodes


# Where a document is when its file no longer has it (edited since it was read): the start.
FILE_START = yaml.ScalarNode(_NULL, "", start_mark=yaml.Mark("", 0, 0, 0, None, 0))


class _TooComplex(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        self.node, self.message = node, message


class _TooDeep(_TooComplex):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__(node, TOO_DEEP)


def mark(path: str, node: yaml.Node) -> Position:
    mark = node.start_mark
    return Position(path, mark.line + 1, mark.column + 1)


def child(node: yaml.Node, step: PathKey, *, key: bool) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode):
        if isinstance(step, int) and 0 <= step < len(node.value):
            item: yaml.Node = node.value[step]
            return item
        return None
    if isinstance(node, yaml.MappingNode):
        merged: list[yaml.Node] = []
        for k, v in node.value:
            if tag_of(k) == _MERGE:
                merged.extend(v.value if isinstance(v, yaml.SequenceNode) else [v])
            elif isinstance(k, yaml.ScalarNode) and k.value == str(step):
                return k if key else v
        for m in merged:
            found = child(m, step, key=key)
            if found is not None:
                return found
    return None


class _Converter:
    """Turns one document's nodes into plain data, reporting what it finds."""

    def __init__(self, path: str, diagnostics: Diagnostics) -> None:
        self.path, self.diagnostics, self.count = path, diagnostics, 0

    def problem(self, node: yaml.Node, rule: str, message: str) -> None:
        self.diagnostics.add(mark(self.path, node), rule, message)

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
        tag: Tag = node.tag
        if tag.__class__ is not slice and tag != expected:  # a slice: implicit, so expected
            self.problem(node, "yaml-syntax", f"unsupported YAML tag {tag!r}")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag: Tag = node.tag
        value = node.value
        if tag.__class__ is slice:  # `_answer` inline: this runs for every value
            if not tag.step[0] or value[:1] not in _FIRST_CHARACTERS:  # quoted, or plain text
                return value
            tag = _PLAIN.get(value) or _answer(tag)
            if tag == _STR:
                return value
            node.tag = tag  # what SafeConstructor reads to build the value
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
            tag: Tag = key_node.tag
            if tag.__class__ is slice:  # `_answer` inline for the common plain scalar key
                if tag.start is not yaml.ScalarNode:
                    tag = _answer(tag)
                elif not tag.step[0] or key_node.value[:1] not in _FIRST_CHARACTERS:
                    tag = _STR  # quoted, or plain text
                else:
                    tag = _PLAIN.get(key_node.value) or _answer(tag)
            if tag == _MERGE:
                merged.update(self.merge(value_node, depth))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "yaml-syntax", "mapping keys must be plain scalars")
                continue
            key = _intern(key_node.value)  # one string a key name, not one a mapping
            if tag != _STR:
                key_node.tag = tag
                key = str(self.scalar(key_node))
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.problem(
                    key_node, "yaml-duplicate-key", f"duplicate key {key!r} (first on line {first})"
                )
                continue
            seen[key] = key_node
            result[key] = self.convert(value_node, depth + 1)
        return {**merged, **result} if merged else result

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
    return mark(path, node)


def _error_position(path: str, error: yaml.YAMLError, text: str) -> Position:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return Position(path, mark.line + 1, mark.column + 1)
    offset = getattr(error, "position", None)
    if isinstance(offset, int):
        if _CParser is not None:  # libyaml counts the bytes of the UTF-8 it was given
            offset = len(text.encode()[:offset].decode(errors="ignore"))
        return _offset_position(path, text, offset)
    return Position(path, 1, 1)


# Newer PyYAML builds (6.0.4's libyaml, for one) refuse deep nesting while scanning,
# before our own depth check sees the nodes: both mean the same problem.
_PARSER_DEPTH_LIMIT = "maximum nesting depth"
def _syntax_message(error: yaml.YAMLError, text: str, position: Position) -> tuple[str, str]:
    if isinstance(error, yaml.reader.ReaderError) and isinstance(error.character, int):
        # its str() names PyYAML's stream ("<unicode string>") and an offset
        return "yaml-syntax", (
            f"YAML syntax error: unacceptable character #x{error.character:04x}: {error.reason}"
        )
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



_BOM_TWICE = "\ufeff\ufeff".encode()


def compose(
    path: str, source: str | bytes, diagnostics: Diagnostics, *, file: str = "",
    keep_nodes: bool = True,
) -> list[Document]:  # fmt: skip
    """Parse every document in `source`; problems go to `diagnostics`, never raise.

    `source` is text, or a file's bytes once known to be UTF-8: libyaml reads bytes itself,
    which spares decoding them into a str that it would only encode back to UTF-8. Should
    the bytes hold a problem, the text is parsed instead, so that every message and
    position is the one the text gives (a reader error's offset, for one, counts bytes).
    Without `keep_nodes`, documents hold no node graph: a position is found by composing
    `file` again, which only a problem needs."""
    documents: list[Document] = []  # those before a syntax error still count
    if isinstance(source, bytes) and source.startswith(_BOM_TWICE):
        source = source.decode("utf-8-sig")  # libyaml counts the second as a column
    if isinstance(source, bytes):
        before = len(diagnostics.items)
        try:
            _compose(path, source, diagnostics, file, documents, keep_nodes)
            return documents
        except (yaml.YAMLError, RecursionError):
            del diagnostics.items[before:]
            documents.clear()
            source = source.decode("utf-8-sig")
    try:
        _compose(path, source, diagnostics, file, documents, keep_nodes)
    except yaml.YAMLError as error:
        position = _error_position(path, error, source)
        rule, message = _syntax_message(error, source, position)
        diagnostics.add(position, rule, message)
    except RecursionError:  # the pure-Python composer recurses per level
        diagnostics.add(Position(path, 1, 1), "yaml-too-complex", TOO_DEEP)
    return documents


def _compose(
    path: str, source: str | bytes, diagnostics: Diagnostics, file: str,
    documents: list[Document], keep_nodes: bool,
) -> None:  # fmt: skip
    nodes: Iterator[yaml.Node] = yaml.compose_all(source, Loader=_Loader)
    lines: list[str] = []  # split once, when the first empty document needs them
    for index, node in enumerate(nodes):
        converter = _Converter(path, diagnostics)
        try:
            data = converter.convert(node)
        except _TooComplex as error:
            diagnostics.add(mark(path, error.node), "yaml-too-complex", error.message)
        else:
            if data is None and not lines:
                text = source if isinstance(source, str) else source.decode("utf-8-sig")
                lines = text.splitlines()
            origin = _empty_start(path, lines, node) if data is None else None
            documents.append(Document(path, index, data, node if keep_nodes else None, origin, file))
        if index >= MAX_DOCUMENTS_PER_FILE:
            diagnostics.add(
                mark(path, node),
                "yaml-too-complex",
                f"file holds more than {MAX_DOCUMENTS_PER_FILE:,} documents; split it",
            )
            break


