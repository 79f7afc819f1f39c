"""The locks pin, with hashes, every dependency pyproject.toml names, within its ranges.

pyproject.toml keeps ranges; requirements/*.lock pin the exact versions that `make test`,
`make demo` and CI install. A dependency added to or narrowed in pyproject.toml without
`make lock` fails here, not on someone's fresh clone.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
LOCKS = REPO / "requirements"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
REFRESH = "make lock"
# where the locks must install: Linux on both architectures, CPython 3.11
TARGETS = [
    {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": machine,
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": "3.11",
        "python_full_version": "3.11.7",
    }
    for machine in ("x86_64", "aarch64")
]


@dataclass
class Pin:
    version: Version
    marker: Marker | None
    hashes: list[str] = field(default_factory=list)

    def applies(self, target: dict[str, str]) -> bool:
        return self.marker is None or self.marker.evaluate(target)


def statements(text: str) -> list[str]:
    """The lock's requirement lines, continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    lines = (line.split(" #", 1)[0].strip() for line in joined.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def parse_lock(text: str) -> dict[str, list[Pin]]:
    pins: dict[str, list[Pin]] = {}
    for line in statements(text):
        spec, *options = re.split(r"\s+(?=--)", line)
        requirement = Requirement(spec)
        [specifier] = list(requirement.specifier)  # exactly one `==`, nothing looser
        assert specifier.operator == "==", line
        hashes = [o.removeprefix("--hash=") for o in options if o.startswith("--hash=")]
        assert len(hashes) == len(options), f"unexpected option in {line!r}"
        pin = Pin(Version(specifier.version), requirement.marker, hashes)
        pins.setdefault(canonicalize_name(requirement.name), []).append(pin)
    return pins


def load(name: str) -> dict[str, list[Pin]]:
    return parse_lock((LOCKS / name).read_text())


def declared(*, extras: bool) -> list[Requirement]:
    """What pyproject.toml asks for: runtime dependencies and, if asked, every extra."""
    project = PYPROJECT["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    if extras:
        for group in project["optional-dependencies"].values():
            found += [Requirement(r) for r in group]
    return [r for r in found if canonicalize_name(r.name) != canonicalize_name(project["name"])]


def inputs(name: str) -> list[Requirement]:
    return [Requirement(line) for line in statements((LOCKS / name).read_text())]


def assert_locked(requirements: list[Requirement], pins: dict[str, list[Pin]], lock: str) -> None:
    problems = []
    for requirement in requirements:
        for target in TARGETS:
            if requirement.marker is not None and not requirement.marker.evaluate(target):
                continue
            candidates = pins.get(canonicalize_name(requirement.name), [])
            chosen = [p for p in candidates if p.applies(target)]
            if len(chosen) != 1:
                machine = target["platform_machine"]
                problems.append(f"{requirement}: {len(chosen)} pins in {lock} for {machine}")
                continue
            [pin] = chosen
            if not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(f"{requirement}: {lock} pins {pin.version}")
            if not pin.hashes:
                problems.append(f"{requirement}: no --hash in {lock}")
    assert not problems, f"run `{REFRESH}`:\n" + "\n".join(sorted(set(problems)))


def test_every_dependency_and_extra_is_pinned_in_the_dev_lock() -> None:
    pins = load("dev.lock")
    assert_locked(declared(extras=True) + inputs("dev.in"), pins, "dev.lock")


def test_runtime_dependencies_and_the_build_backend_are_pinned_in_the_runtime_lock() -> None:
    pins = load("runtime.lock")
    backend = [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    assert [canonicalize_name(r.name) for r in backend] == ["hatchling"]
    assert_locked(declared(extras=False) + backend + inputs("runtime.in"), pins, "runtime.lock")


def test_the_runtime_lock_holds_the_versions_the_tests_ran_against() -> None:
    dev, runtime = load("dev.lock"), load("runtime.lock")
    for name, pins in runtime.items():
        assert [str(p.version) for p in pins] == [str(p.version) for p in dev.get(name, [])], name


@pytest.mark.parametrize("lock", ["dev.lock", "runtime.lock"])
def test_every_pin_is_hashed(lock: str) -> None:
    pins = load(lock)
    assert len(pins) > 10
    unhashed = [name for name, found in pins.items() if any(not p.hashes for p in found)]
    assert unhashed == []


@pytest.mark.parametrize("lock", ["dev.lock", "runtime.lock"])
def test_the_header_names_the_refresh_command_and_make_has_it(lock: str) -> None:
    header = []
    for line in (LOCKS / lock).read_text().splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    assert any(line.strip("# ") == REFRESH for line in header), header
    makefile = (REPO / "Makefile").read_text()
    recipe = re.search(r"^lock:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe is not None
    assert f"-o requirements/{lock}" in recipe.group(1)


def test_the_parser_refuses_a_loose_or_unhashed_pin() -> None:
    # the checks above are only as strict as this parser
    with pytest.raises(AssertionError):
        parse_lock("click>=8.1 \\\n    --hash=sha256:00\n")
    with pytest.raises(ValueError):
        parse_lock("click>=8.1,<9 \\\n    --hash=sha256:00\n")
    pins = parse_lock(
        "click==8.1.0 \\\n    # via opskit\n"
        "rich==13.7 ; sys_platform == 'win32' \\\n    --hash=sha256:ab\n"
        "tzdata==2024.1 --hash=sha256:cd\n"
    )
    assert pins["click"][0].hashes == [] and pins["tzdata"][0].hashes == ["sha256:cd"]
    assert not pins["rich"][0].applies(TARGETS[0])
    with pytest.raises(AssertionError, match="no --hash"):
        assert_locked([Requirement("click>=8")], pins, "x.lock")
    with pytest.raises(AssertionError, match=r"x\.lock pins 2024\.1"):
        assert_locked([Requirement("tzdata>=2025.1")], pins, "x.lock")
    with pytest.raises(AssertionError, match=r"0 pins in x\.lock for x86_64"):
        assert_locked([Requirement("rich>=13")], pins, "x.lock")
    assert_locked([Requirement("tzdata>=2024"), Requirement("rich; os_name == 'nt'")], pins, "x")


def test_tox_checks_install_from_the_dev_lock_only() -> None:
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(REPO / "tox.ini")
    base = tox["testenv"]
    for env in tox["tox"]["env_list"].replace(",", " ").split():
        section = tox[f"testenv:{env}"] if tox.has_section(f"testenv:{env}") else base
        settings = {**base, **section}
        assert settings["deps"].strip() == "-r requirements/dev.lock", env
        # no packaging env, whose build requirements pip would resolve unpinned
        assert settings["skip_install"].strip() == "true", env
        assert "--require-hashes" in settings["install_command"], env
