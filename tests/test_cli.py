"""The command line: JSON contract, summary, help, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import SHARED
from tui.cli import main
from tui.resources import contract, contract_path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("name", ["analysis", "annotations"])
def test_shipped_contracts_equal_the_shared_ones(name: str) -> None:
    shared = SHARED / "contracts" / f"{name}.schema.json"
    if not shared.exists():
        pytest.skip("../shared/contracts is not beside this checkout")
    assert json.loads(contract_path(name).read_text()) == json.loads(shared.read_text())


def test_analyze_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, contract("analysis"))
    texts = {a["id"]: Path(a["path"]).read_bytes().decode("utf-8-sig") for a in data["articles"]}
    for s in data["statements"]:
        assert texts[s["article"]][s["start"] : s["end"]] == s["text"]
    kinds = {s["id"]: s["kind"] for s in data["statements"]}
    for c in data["claims"]:
        assert all(kinds[sid] == "claim" for sid in c["statements"])
    assert {c["status"] for c in data["claims"]} == {"overlap", "divergent", "unique"}


def test_summary_names_statuses_and_divergences(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze"]) == 0
    out = capsys.readouterr().out
    assert "5 articles" in out and "divergent" in out
    assert "Google, Anthropic vs Anthropic, Cohere" in out.replace("\n", " ") or "Cohere" in out


def test_bad_input_gives_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    missing = run("analyze", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert "no such file or directory" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01")
    bad = run("analyze", str(tmp_path))
    assert bad.returncode == 2 and "binary file" in bad.stderr and "Traceback" not in bad.stderr
    (tmp_path / "ok1.txt").write_text("Title\nOne fact.", encoding="utf-8")
    (tmp_path / "ok2.txt").write_text("Title\nAnother fact.", encoding="utf-8")
    partial = run("analyze", "--json", str(tmp_path))
    assert partial.returncode == 0
    assert "bin.txt: binary file, skipped" in partial.stderr
    assert run("analyze", "--no-such-flag").returncode == 2


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("claimdiff ")
    assert "analyze" in run("--help").stdout
    assert "--json" in run("analyze", "--help").stdout


def test_the_app_without_a_terminal_says_so_instead_of_hanging() -> None:
    piped = run()  # stdin and stdout are pipes here
    assert piped.returncode == 2
    assert "needs a terminal" in piped.stderr and "Traceback" not in piped.stderr
    assert piped.stdout == ""  # no escape codes written into a file


def test_brackets_in_articles_are_printed_as_written(tmp_path: Path) -> None:
    story = "The [/] council approved the [bold]budget[/bold] of £5m on Tuesday."
    (tmp_path / "a.txt").write_text(f"[Draft] Budget [/]\n{story}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Budget news\n{story}\n", encoding="utf-8")
    out = run("analyze", str(tmp_path))
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert "[Draft] Budget [/]" in out.stdout and "[bold]budget" in out.stdout
