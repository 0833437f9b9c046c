"""The analysis cache: an unchanged corpus re-opens from it, a changed story is redone,
and an entry that cannot be trusted is ignored and rebuilt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.analysis import pipeline
from tui.core.analysis.analysis_json import to_json
from tui.core.analysis.cache import AnalysisCache
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze

from .test_stories_and_spans import write_two_stories


def _count_story_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    runs: list[str] = []
    real = pipeline.analyze_story

    def counting(story, *args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(story.title)
        return real(story, *args, **kwargs)

    monkeypatch.setattr(pipeline, "analyze_story", counting)
    return runs


def test_an_unchanged_corpus_reopens_from_the_cache_with_the_same_result(
    tmp_path: Path, seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = AnalysisCache(tmp_path / "cache")
    fresh = to_json(analyze(load_corpus([seed_copy])))
    first = to_json(analyze(load_corpus([seed_copy]), cache=cache))
    runs = _count_story_runs(monkeypatch)
    again = to_json(analyze(load_corpus([seed_copy]), cache=cache))
    assert runs == []  # nothing analysed the second time
    assert fresh == first == again


def test_editing_one_article_redoes_only_its_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus_dir = write_two_stories(tmp_path / "news")
    cache = AnalysisCache(tmp_path / "cache")
    analyze(load_corpus([corpus_dir]), cache=cache)
    path = corpus_dir / "rehab1.txt"
    path.write_text(path.read_text().replace("90-day", "60-day"), encoding="utf-8")
    runs = _count_story_runs(monkeypatch)
    cached = analyze(load_corpus([corpus_dir]), cache=cache)
    assert len(runs) == 1 and "Lohan" in runs[0]
    monkeypatch.undo()
    assert to_json(cached) == to_json(analyze(load_corpus([corpus_dir])))


def test_corrupt_and_foreign_entries_are_ignored_and_rebuilt(
    tmp_path: Path, seed_copy: Path
) -> None:
    cache = AnalysisCache(tmp_path / "cache")
    expected = to_json(analyze(load_corpus([seed_copy]), cache=cache))
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    assert entries
    entries[0].write_text("{not json", encoding="utf-8")
    for other in entries[1:]:
        # Valid JSON, but claiming to be another entry: never trusted.
        other.write_text(
            '{"format": "claimdiff.cache/1", "key": "0", "payload": {"claims": []}}',
            encoding="utf-8",
        )
    assert to_json(analyze(load_corpus([seed_copy]), cache=cache)) == expected
    # Rebuilt: the entries are whole again and read back.
    assert to_json(analyze(load_corpus([seed_copy]), cache=cache)) == expected
    assert all(e.read_text(encoding="utf-8").startswith('{"format"') for e in entries)


def test_an_entry_that_names_statements_the_corpus_lacks_is_not_trusted(
    tmp_path: Path, seed_copy: Path
) -> None:
    cache = AnalysisCache(tmp_path / "cache")
    expected = to_json(analyze(load_corpus([seed_copy]), cache=cache))
    for entry in (tmp_path / "cache").rglob("*.json"):
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace("#", "#x", 1), encoding="utf-8")
    assert to_json(analyze(load_corpus([seed_copy]), cache=cache)) == expected


def test_an_unchanged_corpus_reads_back_without_numpy_or_scipy(
    tmp_path: Path, seed_copy: Path
) -> None:
    """Re-opening from the cache must not wait for the analysis's heavy imports (a third of
    the app's re-open time): a fresh process reads the analysis back with neither loaded."""
    cache_dir = tmp_path / "cache"
    expected = to_json(analyze(load_corpus([seed_copy]), cache=AnalysisCache(cache_dir)))
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from tui.core.analysis.cache import AnalysisCache, from_cache\n"
        "from tui.core.analysis.corpus import load_corpus\n"
        "got = from_cache(load_corpus([Path(sys.argv[1])]), AnalysisCache(Path(sys.argv[2])))\n"
        "print(json.dumps({'found': got is not None, 'claims': len(got.claims) if got else 0,\n"
        "    'heavy': sorted(m for m in ('numpy', 'scipy') if m in sys.modules)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(seed_copy), str(cache_dir)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    result = json.loads(out.stdout)
    assert result == {"found": True, "claims": len(expected["claims"]), "heavy": []}


def test_a_rerun_of_analyze_on_an_unchanged_corpus_prints_the_same_json_without_numpy(
    tmp_path: Path, seed_copy: Path
) -> None:
    """`claimdiff analyze --json` run again on the same folder answers from the cache, byte
    for byte the same, before anything imports numpy or scipy (0.37 -> 0.15 s on the seeds)."""
    env = {**os.environ, "CLAIMDIFF_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-X", "importtime", "-m", "tui", "analyze", "--json"]
    runs = [
        subprocess.run(
            [*command, str(seed_copy)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=Path(__file__).resolve().parent.parent,
        )
        for _ in range(2)
    ]
    imported = [
        {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if "|" in line}
        for run in runs
    ]
    assert "scipy" in imported[0]  # the first run analysed
    assert runs[1].stdout == runs[0].stdout
    assert json.loads(runs[1].stdout)["claims"]
    assert not {"numpy", "scipy"} & imported[1]
