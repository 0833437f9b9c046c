"""The annotation store across processes: kill -9 mid-save, same reviewer twice, two reviewers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import SEEDS

# A child that opens the store on the seeds and keeps changing tags, printing each count.
CHILD = r"""
import sys, time
from pathlib import Path
from tui.core.analysis.pipeline import analyze
from tui.core.review.annotations import AnnotationStore
from tui.core.analysis.corpus import load_corpus
path, reviewer, n, hold = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
analysis = analyze(load_corpus([sys.argv[5]]))
store = AnnotationStore.open(path, reviewer, analysis)
print("READONLY" if store.read_only else "WRITABLE", flush=True)
if store.read_only:
    sys.exit(0)
claims = [c.id for c in analysis.claims]
tags = ["confirmed", "disputed", "unique"]
for i in range(n):
    # Each visit to a claim gives it another tag, whatever the number of claims.
    store.set_tag(claims[i % len(claims)], tags[(i // len(claims)) % 3])
    store.set_note(claims[i % len(claims)], f"note {i}")
print("DONE", flush=True)
time.sleep(hold)
"""


def spawn(path: Path, reviewer: str, n: int, hold: float = 0.0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), reviewer, str(n), str(hold), str(SEEDS)],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_kill_9_mid_save_leaves_a_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    for attempt in range(4):
        child = spawn(path, "rev", 100_000)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "WRITABLE"
        time.sleep(0.3 + 0.2 * attempt)  # somewhere inside the stream of saves
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        data = json.loads(path.read_text(encoding="utf-8"))  # old or new, never torn
        assert data["schema"] == "claimdiff.annotations/1"
        assert data["claims"]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 4  # a killed writer may leave its temp file; never the target


def test_same_reviewer_twice_second_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    first = spawn(path, "rev", 5, hold=3.0)
    assert first.stdout is not None
    assert first.stdout.readline().strip() == "WRITABLE"
    assert first.stdout.readline().strip() == "DONE"
    second = spawn(path, "rev", 5)
    out, _ = second.communicate(timeout=60)
    assert out.strip() == "READONLY"
    first.wait(timeout=60)
    history = [h for c in json.loads(path.read_text())["claims"] for h in c["history"]]
    assert len(history) == 10  # only the first session's 5 tags and 5 notes


def test_two_reviewers_at_once_lose_nothing(tmp_path: Path) -> None:
    n = 300
    children = [spawn(tmp_path / f"{name}.json", name, n) for name in ("ann", "ben")]
    for child in children:
        out, _ = child.communicate(timeout=300)
        assert out.split() == ["WRITABLE", "DONE"]
    for name in ("ann", "ben"):
        data = json.loads((tmp_path / f"{name}.json").read_text())
        assert data["reviewer"] == name
        history = [h for c in data["claims"] for h in c["history"]]
        assert len(history) == 2 * n
        assert {h["by"] for h in history} == {name}
