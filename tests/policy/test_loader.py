"""The loader keeps positions and turns YAML's traps into positioned problems."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from opskit.policy import loader, yaml_nodes
from opskit.policy.diagnostics import Diagnostics, Position


def load(text: str) -> tuple[list[loader.Document], list[tuple[str, int, int]]]:
    diagnostics = Diagnostics()
    documents = loader.load_text("f.yaml", text, diagnostics)
    found = [(d.rule, d.position.line, d.position.column) for d in diagnostics.sorted()]
    return documents, found


def test_positions_of_keys_and_values_across_documents() -> None:
    documents, problems = load("a: 1\n---\nkind: Team\nmembers:\n  - alice\n  - bob\n")
    assert problems == []
    assert [d.index for d in documents] == [0, 1]
    second = documents[1]
    assert second.data == {"kind": "Team", "members": ["alice", "bob"]}
    assert str(second.at(("members", 1))) == "f.yaml:6:5"
    assert str(second.at(("members",), key=True)) == "f.yaml:4:1"
    # a path that does not exist points at the nearest parent that does
    assert str(second.at(("members", 7))) == "f.yaml:5:3"


@pytest.mark.parametrize(
    ("text", "rule", "value"),
    [
        ("x: no\n", "yaml-truthy", "no"),
        ("x: On\n", "yaml-truthy", "On"),
        ("x: 17:30\n", "yaml-sexagesimal", "17:30"),
        ("x: 1:30:00.5\n", "yaml-sexagesimal", "1:30:00.5"),
        ("x: 2026-12-24\n", "yaml-implicit-date", "2026-12-24"),
    ],
)
def test_yaml_1_1_surprises_are_reported_and_kept_as_written(
    text: str, rule: str, value: str
) -> None:
    documents, problems = load(text)
    assert problems == [(rule, 1, 4)]
    assert documents[0].data == {"x": value}


def test_quoted_values_and_real_booleans_are_fine() -> None:
    documents, problems = load('a: "no"\nb: "17:30"\nc: "2026-12-24"\nd: true\ne: 09:00\nf: 1.5\n')
    assert problems == []
    assert documents[0].data == {
        "a": "no",
        "b": "17:30",
        "c": "2026-12-24",
        "d": True,
        "e": "09:00",
        "f": 1.5,
    }


def test_duplicate_key_names_the_first_line() -> None:
    _, problems = load("a: 1\nb: 2\na: 3\n")
    assert problems == [("yaml-duplicate-key", 3, 1)]


def test_merge_keys_and_aliases_expand() -> None:
    documents, problems = load("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\nsame: *b\n")
    assert problems == []
    assert documents[0].data["item"] == {"x": 1, "y": 3}
    assert documents[0].data["same"] == {"x": 1, "y": 2}


def test_alias_bomb_is_stopped_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        name, previous = chr(97 + i), chr(96 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    documents, problems = load("\n".join(lines) + "\n")
    assert documents == []
    assert [p[0] for p in problems] == ["yaml-too-complex"]


@pytest.mark.parametrize("levels", [65, 200, 3000])
def test_deep_nesting_is_rejected_not_a_crash(levels: int) -> None:
    # 3000 passes the limit of the installed PyYAML's own scanner, if it has one
    _, problems = load("a: 1\nx: " + "[" * levels + "]" * levels + "\n")
    assert [p[0] for p in problems] == ["yaml-too-complex"]
    assert problems[0][1] == 2


def test_nesting_at_the_limit_is_fine() -> None:
    documents, problems = load("x: " + "[" * 64 + "]" * 64 + "\n")
    assert problems == []
    assert documents[0].data["x"] is not None


class _ScannerWithDepthLimit(yaml.SafeLoader):
    """The pure-Python loader with the scanner limit that libyaml 0.2.6 (PyYAML 6.0.4)
    added, so both PyYAML behaviours are tested whichever one is installed."""

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        if self.flow_level >= 100:
            mark = self.get_mark()
            raise yaml.scanner.ScannerError(
                "while increasing flow level", mark, "exceeded maximum nesting depth", mark
            )
        super().fetch_flow_collection_start(token_class)  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("parser", ["installed", "with scanner limit"])
def test_both_pyyaml_behaviours_map_to_too_complex(
    parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if parser != "installed":
        monkeypatch.setattr(yaml_nodes, "_Loader", _ScannerWithDepthLimit)
    _, problems = load("kind: Person\nname: ada\nx: " + "[" * 150 + "]" * 150 + "\n")
    assert [p[0] for p in problems] == ["yaml-too-complex"]
    assert problems[0][1] == 3


def test_the_simulated_scanner_limit_is_what_pyyaml_raises() -> None:
    text = "x: " + "[" * 150 + "]" * 150
    with pytest.raises(yaml.scanner.ScannerError, match="maximum nesting depth"):
        yaml.compose(text, Loader=_ScannerWithDepthLimit)


def test_tab_indentation() -> None:
    _, problems = load("a:\n\tb: 1\n")
    assert problems == [("yaml-tab", 2, 1)]


def test_syntax_error_keeps_earlier_documents() -> None:
    documents, problems = load("a: 1\n---\nb: [1, 2\n")
    assert [d.data for d in documents] == [{"a": 1}]
    assert problems[0][0] == "yaml-syntax"


def test_unsupported_tag() -> None:
    _, problems = load("a: !!python/object:os.system x\n")
    assert problems == [("yaml-syntax", 1, 4)]


def test_non_utf8_file_points_at_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"kind: Person\nname: Jos\xe9\n")
    diagnostics = Diagnostics()
    assert loader.load_file(path, diagnostics, display="bad.yaml") == []
    [problem] = diagnostics.items
    assert (problem.rule, str(problem.position)) == ("encoding", "bad.yaml:2:10")


def test_oversized_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    diagnostics = Diagnostics()
    assert loader.load_file(path, diagnostics) == []
    assert [d.rule for d in diagnostics.items] == ["file-too-large"]


def _detached(path: Path) -> loader.Document:
    [document] = loader.load_file(path, Diagnostics(), display=str(path))
    return dataclasses.replace(document, node=None)


def test_a_position_found_later_reads_the_file_as_boundedly_as_the_first_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A detached document composes its file again for a position: a file grown past the
    limit since then is not read whole; the document points at the file's start."""
    path = tmp_path / "team.yaml"
    path.write_text("kind: Team\nname: core\n")
    document = _detached(path)
    assert document.at(["name"]) == Position(str(path), 2, 7)
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    path.write_text("kind: Team\nname: core\n" + "# padding\n" * 20)
    assert yaml_nodes.reparse(str(path)) == []
    assert document.root is yaml_nodes.FILE_START


def test_a_file_become_a_fifo_since_it_was_read_does_not_hang_a_position(tmp_path: Path) -> None:
    import os
    import threading

    path = tmp_path / "team.yaml"
    path.write_text("kind: Team\nname: core\n")
    document = _detached(path)
    path.unlink()
    os.mkfifo(path)  # no writer: a plain read would wait for one forever
    found: list[object] = []
    reader = threading.Thread(target=lambda: found.append(document.root), daemon=True)
    reader.start()
    reader.join(timeout=30)  # a guard against a hang, not a wait for a result
    assert not reader.is_alive()
    assert found == [yaml_nodes.FILE_START]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n")
    diagnostics = Diagnostics()
    assert loader.load_file(path, diagnostics) == []
    assert [d.rule for d in diagnostics.items] == ["document-empty"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffname: Zoë\n".encode())
    diagnostics = Diagnostics()
    [document] = loader.load_file(path, diagnostics)
    assert document.data == {"name": "Zoë"}
    assert not diagnostics.items


def test_a_restriction_of_days_alone_means_those_whole_days(tmp_path: Path) -> None:
    from opskit.policy.validate import validate_files

    path = tmp_path / "r.yaml"
    path.write_text(
        "kind: Person\nname: a\nemail: a@x.example\ntimezone: UTC\n---\n"
        'kind: Rotation\nname: weekend\ntimezone: UTC\nstart: "2026-01-03"\n'
        "layers:\n  - members: [a]\n    shift: 1w\n    restrictions: [{days: [saturday, sunday]}]\n"
    )
    result = validate_files([path])
    [restriction] = result.policy.rotations["weekend"].layers[0].restrictions
    assert (restriction.days, restriction.window) == ((5, 6), (0, 1440))


def test_a_rotation_with_an_unknown_zone_is_incomplete(tmp_path: Path) -> None:
    from opskit.policy.validate import validate_files

    path = tmp_path / "r.yaml"
    path.write_text(
        "kind: Person\nname: a\nemail: a@x.example\ntimezone: UTC\n---\n"
        'kind: Rotation\nname: r\ntimezone: Mars/Olympus\nstart: "2026-01-03"\n'
        "layers:\n  - members: [a]\n    shift: 1w\n"
    )
    result = validate_files([path])
    assert result.policy.rotations["r"].complete is False
    assert [d.rule for d in result.diagnostics.items] == ["timezone-invalid"]


def test_remembered_tags_do_not_leak_between_documents() -> None:
    """The resolver memo must give each scalar the tag YAML 1.1 gives it, in any order."""
    first, problems = load("a: yes\nb: '17:30'\nc: 17:30\nd: 2026-01-01\n")
    again, again_problems = load("c: 17:30\nd: 2026-01-01\nb: '17:30'\na: yes\n")
    assert [p[0] for p in problems] == ["yaml-truthy", "yaml-sexagesimal", "yaml-implicit-date"]
    assert sorted(p[0] for p in again_problems) == sorted(p[0] for p in problems)
    assert first[0].data == again[0].data


def test_the_resolver_hooks_opskit_skips_have_nothing_to_do() -> None:
    # _Loader replaces PyYAML's per-node descend/ascend hooks with no-ops and leaves
    # resolving to the converter; that is the same only while no path resolver is
    # registered on it or its bases.
    assert not yaml_nodes._Loader.yaml_path_resolvers
    nested = "a:\n  - {b: [1, 2], c: x, d: '3', e: ~}\n  - !!str 3\n  - [yes, 1.5, '']\n"
    documents, problems = load(nested)
    assert problems == [("yaml-truthy", 4, 6)]
    assert documents[0].data == {"a": [{"b": [1, 2], "c": "x", "d": "3", "e": None}, "3",
                                       ["yes", 1.5, ""]]}  # fmt: skip


def _pairs(ours: yaml.Node, theirs: yaml.Node) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    yield ours, theirs
    if isinstance(theirs, yaml.SequenceNode):
        for a, b in zip(ours.value, theirs.value, strict=True):
            yield from _pairs(a, b)
    elif isinstance(theirs, yaml.MappingNode):
        for (ka, va), (kb, vb) in zip(ours.value, theirs.value, strict=True):
            yield from _pairs(ka, kb)
            yield from _pairs(va, vb)


_plain = st.text(alphabet="0123456789abefnosxyYNOTtF.:-+_~=<", max_size=10)
_forms = st.sampled_from(["{}", "'{}'", '"{}"', "!!str {}", "! {}", "!!int {}"])


@given(st.lists(st.tuples(_plain, _forms), min_size=1, max_size=6))
def test_every_node_gets_the_tag_pyyaml_resolves(words: list[tuple[str, str]]) -> None:
    # The converter answers the composer's tag questions itself (_Loader.resolve); held
    # to the loader it replaces (CSafeLoader, whose libyaml reads "! x" as a string where
    # pure-Python PyYAML resolves it), tag for tag: scalars, keys, sequences, mappings.
    values = [form.format(word) for word, form in words]
    text = "".join(f"{v}: {v}\n" for v in values) + f"seq: [{', '.join(values)}]\n"
    try:
        theirs = list(yaml.compose_all(text, Loader=yaml_nodes._BaseLoader))
        ours = list(yaml.compose_all(text, Loader=yaml_nodes._Loader))
    except yaml.YAMLError:
        return  # not YAML at all: the syntax tests cover that
    assert len(ours) == len(theirs)
    for mine, pyyaml in (p for a, b in zip(ours, theirs, strict=True) for p in _pairs(a, b)):
        assert yaml_nodes.tag_of(mine) == pyyaml.tag, (text, mine.value)


def test_positions_found_again_follow_the_file_as_it_is_now(tmp_path: Path) -> None:
    # A document without its nodes (from a worker, the cache, or check_file) composes its file again
    # for a position; the same name written again must not answer from the old text.
    policy = tmp_path / "a.yaml"
    policy.write_text("a: 1\n")
    [first] = loader.load_file(policy, Diagnostics(), display="a.yaml")
    assert dataclasses.replace(first, node=None).at(["a"]) == Position("a.yaml", 1, 4)
    policy.write_text("\n\na: 2\n")
    assert dataclasses.replace(first, node=None).at(["a"]) == Position("a.yaml", 3, 4)
    gone = loader.Document("a.yaml", 5, {}, None, file=str(policy))  # the file lost it
    assert gone.at(["a"]) == gone.position == Position("a.yaml", 1, 1)
    policy.unlink()
    assert yaml_nodes.reparse(str(policy)) == []
    assert dataclasses.replace(first, node=None).position == Position("a.yaml", 1, 1)


@pytest.mark.parametrize("source", [str, str.encode])
def test_a_file_holds_at_most_the_document_limit(source: Any) -> None:
    limit = loader.MAX_DOCUMENTS_PER_FILE
    diagnostics = Diagnostics()
    kept = yaml_nodes.compose("f.yaml", source("a: 1\n---\n" * (limit - 1) + "a: 1\n"), diagnostics)
    assert len(kept) == limit and not diagnostics.items
    over = source("a: 1\n---\n" * (limit + 1) + "a: 2\n")  # two over the limit
    kept = yaml_nodes.compose("f.yaml", over, diagnostics)
    assert len(kept) == limit + 1  # the one over the limit is read, then the rest is not
    [problem] = diagnostics.items
    assert (problem.rule, problem.position.line) == ("yaml-too-complex", 2 * limit + 1)
    assert f"more than {limit:,} documents" in problem.message


@pytest.mark.parametrize("source", [str, str.encode])
def test_a_control_character_is_reported_where_it_is_in_our_words(source: Any) -> None:
    diagnostics = Diagnostics()
    yaml_nodes.compose("f.yaml", source("kind: Person\nname: éé\x01\n"), diagnostics)
    [problem] = diagnostics.items
    assert (problem.rule, problem.position) == ("yaml-syntax", Position("f.yaml", 2, 9))
    assert problem.message.startswith("YAML syntax error: unacceptable character #x0001: ")
    assert "<unicode string>" not in problem.message and "position" not in problem.message
