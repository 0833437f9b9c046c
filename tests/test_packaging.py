"""A normal (non-editable) install works: seeds, styles and contracts ship in the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT, SEEDS


def test_the_wheel_carries_its_data_and_runs_from_anywhere(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("claimdiff-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for seed in SEEDS.iterdir():
        assert f"tui/_data/seeds/{seed.name}" in names
    assert "tui/_data/styles/claimdiff.tcss" in names
    assert {"tui/contracts/analysis.schema.json", "tui/contracts/annotations.schema.json"} <= names

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)  # a wheel is installed by unpacking it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}  # ahead of the editable checkout
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import tui, tui.resources as r; print(tui.__file__); "
            "print(r.styles_dir()); print(r.seeds_dir())",
        ],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert all(line.startswith(str(target)) for line in probe)
    out = subprocess.run(
        [sys.executable, "-m", "tui", "analyze", "--json"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert len(json.loads(out.stdout)["articles"]) == len(list(SEEDS.iterdir()))
