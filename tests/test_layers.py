"""The packages form layers: each imports only what sits below it (DESIGN.md, Architecture).

Checked on the source, every import statement including those inside functions, so a
lazy import cannot slip a cycle back in.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "opskit"

# What each layer may import of opskit, besides itself. Modules at the top of the package
# (errors, runtime, disk_cache, files) are shared by all and appear where they are used; the
# package's own __version__ is free to all.
ALLOWED: dict[str, set[str]] = {
    "time": {"disk_cache"},
    "policy": {"time", "disk_cache", "runtime", "errors"},
    "oncall": {"time", "policy", "disk_cache", "errors"},
    "sla": {"time", "policy", "oncall", "providers", "sync", "errors", "disk_cache"},
    "deliverability": {"time", "policy", "oncall"},
    "sync": {"policy", "errors", "time"},
    "providers": {"sync", "policy", "oncall", "time", "errors", "disk_cache"},
    "playbooks": {"time", "policy", "oncall", "sla", "providers", "sync", "errors", "disk_cache",
                  "files"},
    "capacity": {"time", "policy", "oncall", "sla", "providers", "sync", "errors"},
    "explain": set(),
    "sandbox": {"errors"},
    "docs": {"time", "policy", "oncall", "errors"},
}


def _imports(path: Path) -> set[str]:
    """The opskit packages and top-level modules a file imports, by first name."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "opskit":
                names = [f"opskit.{alias.name}" for alias in node.names]
        found |= {n.split(".")[1] for n in names if n.startswith("opskit.")}
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_what_is_below_it(layer: str) -> None:
    wrong = {
        f"{path.relative_to(PACKAGE)} imports opskit.{name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in _imports(path) - ALLOWED[layer] - {layer, "__version__"}
    }
    assert not wrong, sorted(wrong)


def test_nothing_below_the_cli_imports_it() -> None:
    entry = PACKAGE / "__main__.py"  # `python -m opskit` is the CLI's entry, above it
    below = [
        p
        for p in PACKAGE.rglob("*.py")
        if "cli" not in p.relative_to(PACKAGE).parts and p != entry
    ]
    assert below
    wrong = [str(p.relative_to(PACKAGE)) for p in below if "cli" in _imports(p)]
    assert not wrong


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "lazy.py"
    source.write_text("def f():\n    from opskit.cli import app\n    import opskit.oncall.who\n")
    assert _imports(source) == {"cli", "oncall"}
