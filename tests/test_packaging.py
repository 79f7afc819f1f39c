"""The wheel carries the one copy of the schemas, where the installed package looks."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_ships_schemas_as_package_data(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("opskit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for source in (REPO / "schemas").glob("*.schema.json"):
            packaged = f"opskit/schemas/{source.name}"
            assert packaged in names
            assert archive.read(packaged) == source.read_bytes()
        assert "opskit/cli/__init__.py" in names
        # data files read through importlib.resources: opskit init's templates
        for source in (REPO / "opskit" / "scaffold" / "templates").iterdir():
            packaged = f"opskit/scaffold/templates/{source.name}"
            assert packaged in names and archive.read(packaged) == source.read_bytes()
        # and the page templates of opskit docs build and opskit sla report
        for folder in (
            "opskit/docs/templates",
            "opskit/sla/review/templates",
            "opskit/playbooks/templates",
        ):
            templates = sorted((REPO / folder).iterdir())
            assert templates
            for source in templates:
                packaged = f"{folder}/{source.name}"
                assert packaged in names and archive.read(packaged) == source.read_bytes()
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "opskit = opskit.cli:main" in archive.read(entry_points).decode()
        # the licence the package declares, with its text beside it
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        assert "License-Expression: Apache-2.0" in metadata.decode()
        [licence] = [n for n in names if n.endswith("/LICENSE")]
        assert archive.read(licence) == (REPO / "LICENSE").read_bytes()
        assert b"Apache License\n                           Version 2.0" in archive.read(licence)
