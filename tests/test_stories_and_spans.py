"""Stories, claim spans, divergence values, and output that never changes between runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tui.core.analysis import divergence
from tui.core.analysis.analysis_json import to_json
from tui.core.analysis.corpus import load_corpus
from tui.core.analysis.pipeline import analyze
from tui.core.model import Status
from tui.resources import contract

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

QUAKE = [
    "A magnitude 6.1 earthquake struck near Napa, California on Sunday, injuring 120 people.",
    "The Napa earthquake damaged historic buildings and cut power to thousands of homes.",
    "Governor Jerry Brown declared a state of emergency for Napa County after the quake.",
]
REHAB = [
    "Actress Lindsay Lohan checked into the Betty Ford rehab clinic on Thursday.",
    "Lohan entered the Betty Ford Center to begin a 90-day rehab stay ordered by a judge.",
    "A spokesman for Lohan said the actress was focused on her recovery at Betty Ford.",
]


def _write(folder: Path, name: str, lines: list[str]) -> None:
    (folder / name).write_text("\n\n".join(lines) + "\n", encoding="utf-8")


def write_two_stories(folder: Path) -> Path:
    """Three reports of an earthquake and three of a celebrity entering rehab."""
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(3):
        _write(folder, f"quake{k}.txt", [QUAKE[(k + i) % 3] for i in range(3)])
        _write(folder, f"rehab{k}.txt", [REHAB[(k + i) % 3] for i in range(3)])
    return folder


def test_two_stories_in_one_folder_are_told_apart_and_claims_never_cross(tmp_path: Path) -> None:
    analysis = analyze(load_corpus([write_two_stories(tmp_path)]))
    files = {a.id: a.file for a in analysis.articles}
    assert len(analysis.stories) == 2
    groups = sorted(sorted(files[a][:5] for a in s.articles) for s in analysis.stories)
    assert groups == [["quake"] * 3, ["rehab"] * 3]
    story_of = {a: s.id for s in analysis.stories for a in s.articles}
    for claim in analysis.claims:
        stories = {story_of[analysis.statement(sid).article] for sid in claim.statements}
        assert stories == {claim.story}


def test_the_seeds_are_one_story_with_a_readable_title() -> None:
    analysis = analyze(load_corpus([SEEDS]))
    assert len(analysis.stories) == 1
    assert "OpenAI" in analysis.stories[0].title or "UK" in analysis.stories[0].title


def test_json_carries_stories_spans_and_values_and_follows_the_contract() -> None:
    data = to_json(analyze(load_corpus([SEEDS])))
    jsonschema.validate(data, contract("analysis"))
    texts = {s["id"]: s for s in data["statements"]}
    articles = {a["id"]: a for a in data["articles"]}
    article_text = {
        a["id"]: load_corpus([Path(a["path"])]).articles[0].text for a in data["articles"]
    }
    assert data["stories"] and all(c["story"] for c in data["claims"])
    for claim in data["claims"]:
        assert [s["statement"] for s in claim["spans"]] == claim["statements"]
        for span in claim["spans"]:
            st = texts[span["statement"]]
            # A span lies inside its statement.
            assert st["start"] <= span["start"] < span["end"] <= st["end"]
    values = [v for c in data["claims"] for d in c["divergences"] for v in d.get("values", [])]
    assert values, "the seeds have divergences with values"
    for v in values:
        if "start" in v:
            art = texts[v["statement"]]["article"]
            assert article_text[art][v["start"] : v["end"]] == v["text"]
    assert articles


def test_an_edited_amount_leaves_the_alignment_and_is_flagged(tmp_path: Path) -> None:
    base = analyze(load_corpus([SEEDS]))
    target = next(s for s in base.statements if "£2 billion in government funding" in s.text)
    linked = {
        tuple(sorted(c.statements))
        for c in base.claims_of(target.id)
        if c.status is not Status.UNIQUE
    }
    assert linked, "the funding sentence has a counterpart in another source"
    for path in SEEDS.iterdir():
        text = path.read_text(encoding="utf-8")
        (tmp_path / path.name).write_text(
            text.replace("£2 billion in government funding", "£5 billion in government funding"),
            encoding="utf-8",
        )
    edited = analyze(load_corpus([tmp_path]))
    new = next(s for s in edited.statements if "£5 billion in government funding" in s.text)
    claims = [c for c in edited.claims_of(new.id) if c.status is not Status.UNIQUE]
    assert claims, "the edited sentence still aligns"
    details = [d.detail for c in claims for d in c.divergences if new.id in d.statements]
    assert any("£5 billion" in d for d in details), details


def test_the_same_corpus_gives_byte_identical_json_under_any_hash_seed() -> None:
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-m", "tui", "analyze", "--json", str(SEEDS)],
            capture_output=True,
            check=True,
            env=env,
            cwd=ROOT,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["claims"]


def test_datelines_are_compared_as_the_articles_dates(tmp_path: Path) -> None:
    body = "The council approved a new flood barrier for the river district on Monday."
    (tmp_path / "a.txt").write_text(f"Barrier approved\n\nMarch 3, 2026\n\n{body}\n", "utf-8")
    (tmp_path / "b.txt").write_text(f"Flood barrier vote\n\nMarch 4, 2026\n\n{body}\n", "utf-8")
    analysis = analyze(load_corpus([tmp_path]))
    dated = [
        c
        for c in analysis.claims
        if any("2026" in analysis.statement(s).text for s in c.statements)
    ]
    assert len(dated) == 1 and dated[0].status is Status.DIVERGENT
    assert [d.kind.value for d in dated[0].divergences] == ["date"]
    assert "3" in dated[0].divergences[0].detail and "4" in dated[0].divergences[0].detail


def test_one_story_can_be_taken_out_as_an_analysis_of_its_own(tmp_path: Path) -> None:
    analysis = analyze(load_corpus([write_two_stories(tmp_path)]))
    for story in analysis.stories:
        part = analysis.for_story(story.id)
        assert [a.id for a in part.articles] == list(story.articles)
        assert {s.article for s in part.statements} == set(story.articles)
        assert part.claims == [c for c in analysis.claims if c.story == story.id]
        assert all(part.statement(s) for c in part.claims for s in c.statements)


def test_a_story_alone_checks_its_divergences_on_the_pool_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One story and a process pool: each share of the divergence readings goes to a worker
    with every compared pair once, and the analysis is the same, byte for byte, as on one
    process."""
    from concurrent.futures import ProcessPoolExecutor

    from tui.core.analysis import pipeline

    corpus = load_corpus([SEEDS])
    alone = json.dumps(to_json(analyze(corpus)), sort_keys=True)
    monkeypatch.setattr(pipeline, "_PARALLEL_PAIRS", 1)
    sent: list[tuple[int, tuple[int, ...]]] = []

    class Counting(ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            if fn is pipeline.divergence_share:
                pairs, share = args
                assert len(set(pairs)) == len(pairs)
                sent.append((len(pairs), share))
            return super().submit(fn, *args, **kwargs)

    with Counting(2) as pool:
        pooled = analyze(corpus, executor=pool)
    assert sorted(share for _n, share in sent) == sorted(divergence.SHARES)
    assert sorted(i for share in divergence.SHARES for i in share) == list(range(5))
    assert len({n for n, _share in sent}) == 1 and sent[0][0] > 10
    assert json.dumps(to_json(pooled), sort_keys=True) == alone
    assert any(c.divergences for c in pooled.claims)


def test_the_analysis_leaves_the_garbage_collector_as_it_found_it() -> None:
    """The collector is paused while the analysis builds what it keeps, and handed back as
    it was: on for a caller that had it on (also when the analysis fails), off if off."""
    import gc

    corpus = load_corpus([SEEDS])
    assert gc.isenabled()
    seen: list[bool] = []
    real = divergence.compare

    def watching(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(divergence, "compare", watching)
        analyze(corpus)
        assert seen and not any(seen)  # paused while the claims were compared
        assert gc.isenabled()
        mp.setattr(divergence, "compare", lambda *a, **k: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            analyze(corpus)
        assert gc.isenabled()
    gc.disable()
    try:
        analyze(corpus)
        assert not gc.isenabled()
    finally:
        gc.enable()
