"""Read policy files into plain data while keeping every node's file position.

PyYAML composes a node graph that carries line/column marks (the C composer when
libyaml is present); we convert nodes to data ourselves (``yaml_nodes``) so that YAML 1.1
surprises, duplicate keys and alias bombs are caught with their positions, and we keep
the root node so a position is looked up only when a problem needs one. PyYAML is
imported only when something is parsed: a run whose files all come from the cache
(``file_cache``) never loads it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opskit.policy.diagnostics import Diagnostics, Position

if TYPE_CHECKING:
    import yaml

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES_PER_DOCUMENT = 100_000  # counted after alias expansion
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 20
MAX_DOCUMENTS_PER_FILE = 10_000
TOO_DEEP = f"document nests deeper than {MAX_DEPTH} levels; flatten it"

PathKey = str | int
NodePath = tuple[PathKey, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML document: its data, and the node graph it came from."""

    path: str
    index: int
    data: Any
    node: yaml.Node | None  # None when not kept: found again by parsing `file`
    origin: Position | None = None  # where an empty document starts
    file: str = ""

    @property
    def root(self) -> yaml.Node:
        from opskit.policy import yaml_nodes

        if self.node is not None:
            return self.node
        nodes = yaml_nodes.reparse(self.file)
        return nodes[self.index] if self.index < len(nodes) else yaml_nodes.FILE_START

    @property
    def position(self) -> Position:
        from opskit.policy import yaml_nodes

        return self.origin or yaml_nodes.mark(self.path, self.root)

    def at(self, path: Sequence[PathKey], *, key: bool = False) -> Position:
        """Position of the value at `path` (or of its key), or the nearest parent found."""
        from opskit.policy import yaml_nodes

        node = self.root
        for step in path:
            found = yaml_nodes.child(node, step, key=key and step is path[-1])
            if found is None:
                break
            node = found
        return yaml_nodes.mark(self.path, node)




def _offset_position(path: str, text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return Position(path, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)



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
    from opskit.policy.yaml_nodes import compose

    return compose(path, text, diagnostics, file=file)


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


# O_NONBLOCK: a FIFO put in a file's place after it was listed must not hang the run
# Node graphs composed again for positions during one run, by file name (see
# yaml_nodes.reparse): a file with thousands of problems is read and composed once, not once
# a problem. None outside a run, where a file is composed again whenever its bytes change.
_run_nodes: OrderedDict[str, list[Any]] | None = None
RUN_NODE_FILES = 32  # files whose graphs a run keeps at once


def run_nodes() -> OrderedDict[str, list[Any]] | None:
    return _run_nodes


@contextlib.contextmanager
def one_run() -> Iterator[None]:
    """Within this, positions come from one composition of each file."""
    global _run_nodes
    outer, _run_nodes = _run_nodes, OrderedDict()
    try:
        yield
    finally:
        _run_nodes = outer


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


def read_bounded(path: Path | str) -> tuple[bytes, os.stat_result]:
    """At most MAX_FILE_BYTES + 1 bytes. Plain file descriptors, no buffered file object:
    for thousands of small files that halves the cost of reading. The read asks for the
    file's own size: asking for the limit would allocate that much every time."""
    fd = os.open(path, _READ_FLAGS)
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
            if got == size:  # all fstat saw: a read to find the end would only find it
                break
    finally:
        os.close(fd)
    return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), info


def load_bytes(
    path: Path | str, raw: bytes, diagnostics: Diagnostics, name: str, *, keep_nodes: bool = True
) -> list[Document]:
    # The parser takes the bytes themselves once they are known to be UTF-8 (ASCII is)
    if not raw.isascii() and decode(name, raw, diagnostics) is None:
        return []
    from opskit.policy.yaml_nodes import compose

    documents = compose(name, raw, diagnostics, file=str(path), keep_nodes=keep_nodes)
    if not documents and not any(d.position.path == name for d in diagnostics.items):
        diagnostics.add(Position(name, 1, 1), "document-empty", "file holds no YAML document")
    return documents
